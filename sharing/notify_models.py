"""'Tell me when there are new photos of me': the guest's opt-in, what was sent, the studio's channels.

A subscription holds the guest's face template and address only as AES-GCM ciphertext under the
event's data key (sharing.notify.sealing): deleting the event, or its retention running out,
crypto-shreds them with the event's other embeddings; unsubscribing deletes the row.
A channel's Apprise URL (it holds the gateway's credentials) is sealed under the master key.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.tenancy.models import Studio
from events.models import Event


class NotifyMedium(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone (the studio's channels)"


class EventNotifyPolicy(models.Model):
    """Per event: whether guests may ask to be told about new photos of them. No row: on."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="notify_policy")
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)


class NotifySubscription(models.Model):
    """One guest's opt-in on one share link: their template, where to write, the consent given."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notify_subscriptions")
    link = models.ForeignKey("sharing.ShareLink", on_delete=models.CASCADE, related_name="notify_subscriptions")
    session = models.ForeignKey("sharing.GuestSession", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="notify_subscriptions", help_text="The visit that opted in.")
    medium = models.CharField(max_length=10, choices=NotifyMedium.choices)
    address_ciphertext = models.BinaryField(help_text="The e-mail address or phone number, sealed under the event key.")
    template_ciphertext = models.BinaryField(help_text="The selfie's face embedding, sealed under the event key.")
    embedder_name = models.CharField(max_length=40)
    embedder_version = models.CharField(max_length=40)
    device_hash = models.CharField(max_length=64, blank=True, help_text="Faces this device asked to forget stay out.")
    language = models.CharField(max_length=10, default="en", help_text="The language messages are written in.")
    base_url = models.CharField(max_length=200, help_text="The site's address the guest used (links in messages).")
    # The notify consent, recorded like the search consent (sharing.consent).
    consent_version = models.CharField(max_length=60)
    consent_language = models.CharField(max_length=10, default="en")
    consented_at = models.DateTimeField(default=timezone.now)
    ip_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField(help_text="No message after this (the notify window, the event's retention).")
    matches = models.JSONField(default=list, help_text="[[photo_id, face_id, confidence], ...]: what the guest has.")
    pending_photo_ids = models.JSONField(default=list, help_text="Matched, waiting for the next message.")
    next_send_at = models.DateTimeField(null=True, blank=True, help_text="When the pending photos may be sent.")
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["event"]), models.Index(fields=["next_send_at"])]
        constraints = [models.UniqueConstraint(fields=["session"], condition=models.Q(session__isnull=False),
                                               name="notify_one_subscription_per_visit")]


class NotifyMessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class NotifyMessage(models.Model):
    """One message to one guest, listing new photos of them (none: the opt-in's confirmation,
    sharing.notify.sending.notify_confirm); ends sent or failed with a reason."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(NotifySubscription, on_delete=models.CASCADE, related_name="messages")
    photo_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=NotifyMessageStatus.choices, default=NotifyMessageStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=500, blank=True)
    # When a worker may (next) try it; while a try runs it is pushed ahead (a lease), so two workers
    # never write the same message; a failed try sets the retry time (sharing.notify.sending).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_message_due")]


class NotifyChannel(models.Model):
    """A studio's Apprise channel for guests who choose their phone (SMS, WhatsApp, Telegram, a webhook)."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="notify_channels")
    label = models.CharField(max_length=100, blank=True)
    scheme = models.CharField(max_length=20, help_text="The URL's scheme (twilio, whatsapp, json, …): shown, not secret.")
    url_ciphertext = models.BinaryField(help_text="The Apprise URL (credentials inside), sealed under the master key.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["id"]
