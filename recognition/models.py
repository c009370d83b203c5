"""Faces found in photos, and each event's wrapped data key (embeddings are never stored in clear)."""
import uuid

from django.db import models

from events.models import Event, Photo
from visage.tenancy.models import Studio


class EventKey(models.Model):
    """The event's data key, wrapped by a master key. Deleting it crypto-shreds the embeddings."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="data_key")
    wrapped_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)


class Face(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="faces")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="faces")
    # Generated before insert so it can be the AES-GCM associated data of the embedding.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    x1 = models.FloatField()
    y1 = models.FloatField()
    x2 = models.FloatField()
    y2 = models.FloatField()
    probability = models.FloatField()
    landmarks = models.JSONField(help_text="5 (x, y) points in original pixel coordinates.")
    embedding_ciphertext = models.BinaryField()
    embedder_name = models.CharField(max_length=40)
    embedder_version = models.CharField(max_length=80)
    embedder_dim = models.PositiveSmallIntegerField()
    usable = models.BooleanField(help_text="Passed the quality gate; only usable faces are clustered and searched.")
    quality_reasons = models.JSONField(default=list, blank=True)
    blur = models.FloatField(help_text="Variance of the Laplacian of the aligned crop (higher is sharper).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["event", "usable"])]

    @property
    def box(self) -> list[float]:
        return [self.x1, self.y1, self.x2, self.y2]
