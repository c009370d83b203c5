"""A studio's webhook endpoints and the log of what was sent to them."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.tenancy.models import Studio


class EventType(models.TextChoices):
    PHOTO_PROCESSED = "photo.processed", "A photo finished processing (done or failed)"
    EVENT_PROCESSED = "event.processed", "Every queued photo of an event finished"
    PERSON_UPDATED = "person.updated", "A person was formed, grew, or was renamed/merged/split"
    GUEST_SEARCHED = "guest.searched", "A guest searched with a selfie"
    REMOVAL_REQUESTED = "removal.requested", "A guest asked to be forgotten: the studio must confirm or reject"
    GUEST_MATCHED = "guest.matched", "An opted-in guest is told about new photos of them"


PING = "ping"  # a test delivery: sent on request whatever the webhook subscribes to


class Webhook(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)  # EventType values
    # Kept readable: it signs every delivery (an HMAC key, not a password to verify).
    secret = models.CharField(max_length=80)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.url} ({self.studio_id})"

    @property
    def secret_hint(self) -> str:
        return f"{self.secret[:6]}…{self.secret[-4:]}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()  # the body sent, less nothing: {"id", "type", "created_at", "studio", "data"}
    # Makes a notice happen once per webhook (event.processed for one set of photos), "" = no such rule.
    dedupe_key = models.CharField(max_length=120, blank=True, default="")
    redelivery_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_response_status = models.PositiveIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker may (next) send it; while an attempt runs it is pushed ahead (a lease).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        constraints = [models.UniqueConstraint(fields=["webhook", "dedupe_key"], condition=~Q(dedupe_key=""),
                                               name="delivery_once_per_key")]


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["number"]
