"""Each event's camera account for upload over FTP/FTPS: one per event, its password kept only as a hash."""
from django.db import models

from core.tenancy.models import Studio
from events.models import Event


class CameraAccount(models.Model):
    """Made on the first password rotation (or switch); before that the event has no way in by FTP."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="camera_account")
    username = models.CharField(max_length=40, unique=True)
    # Django's password hashers (make_password); "" until the first rotation: no login then.
    password_hash = models.CharField(max_length=256, blank=True)
    enabled = models.BooleanField(default=True, help_text="Owners and admins may turn camera upload off per event.")
    rotated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.username
