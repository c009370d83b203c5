"""Share links and what guests do with them: sessions, consent; and the studio's retention policy.

Secrets (link tokens, guest session ids, PINs) are stored only as hashes: a database dump
cannot be used to open a gallery.
"""
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from events.models import Event, Photo
from recognition.models import Person
from core.tenancy.models import Studio

DEFAULT_RETENTION_DAYS = 90


class Scope(models.TextChoices):
    SELFIE = "selfie", "Only the photos the guest is in (selfie search)"
    PERSON = "person", "One person's album"
    EVENT = "event", "The whole gallery"
    PHOTOS = "photos", "Selected photos"


# Links whose photos the studio chose (a person's album, a selection): a selfie search only finds
# photos inside them, and there are no new photos to tell a guest about.
FIXED_ALBUMS = frozenset({Scope.PERSON, Scope.PHOTOS})


class Download(models.TextChoices):
    ORIGINALS = "originals", "Originals"
    PREVIEWS = "previews", "Previews only"
    NONE = "none", "No downloads"


class LinkState(models.TextChoices):
    ACTIVE = "active", "Active"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    EXHAUSTED = "exhausted", "All uses taken"


class ShareLink(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(max_length=100, blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.SELFIE)
    # SET_NULL: a person merged away or deleted leaves a link that shows nothing (never someone else).
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A "photos" link shows these and nothing else (hidden ones stay hidden; a deleted photo drops out).
    photos = models.ManyToManyField(Photo, blank=True, related_name="+", help_text="The selection a photos link shows.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token; the token is shown once.")
    code = models.CharField(max_length=16, unique=True, help_text="Short code for typing; grants what the link grants.")
    pin_hash = models.CharField(max_length=128, blank=True, help_text="Django password hash of the PIN; empty: no PIN.")
    expires_at = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0, help_text="Guest sessions started.")
    search_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    download = models.CharField(max_length=10, choices=Download.choices, default=Download.ORIGINALS)
    watermark = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"])]

    def __str__(self) -> str:
        return self.label or f"{self.get_scope_display()} link {self.id}"

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return LinkState.EXPIRED
        if self.max_uses is not None and self.use_count >= self.max_uses:
            return LinkState.EXHAUSTED
        return LinkState.ACTIVE


def session_secret_hash(*, link_id: int, secret: str) -> str:
    """What is stored for a guest session secret: bound to its link, so the same secret (or a
    copied hash) names nothing on any other link."""
    return hashlib.sha256(f"visage-guest-session:{link_id}:{secret}".encode()).hexdigest()


class GuestSession(models.Model):
    """One guest's visit through a link (a "use"): what they matched, until it expires.

    The id the guest holds (cookie or X-Guest-Session header) is a random secret; only its
    hash is stored. Matched photo ids live here, server-side, so a guest can never widen
    what they see by sending other ids.
    """

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="sessions")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    searched = models.BooleanField(default=False)
    matches = models.JSONField(default=list, help_text="[[photo_id, face_id, confidence], ...] of the last search.")
    device_hash = models.CharField(max_length=64, blank=True, help_text="Keyed hash of the guest's device cookie.")
    selfie_sha256 = models.CharField(max_length=64, blank=True, help_text="Of the last selfie (not kept): a "
                                     "'forget me' check needs a different, fresh one.")
    fresh_photo_ids = models.JSONField(default=list, help_text="Photos a notification told the guest about: "
                                       "marked new in the gallery the notification's link opens.")
    notify_subscription = models.ForeignKey("sharing.NotifySubscription", null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+",
                                            help_text="The opt-in this visit was restored from (a notification's link).")

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()  # "forget me" deletes the session (services.removals)


class GuestConsent(models.Model):
    """The record that a guest agreed to face matching: which text, when, from where (hashed)."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="consents")
    session = models.OneToOneField(GuestSession, null=True, on_delete=models.SET_NULL, related_name="consent")
    text_version = models.CharField(max_length=40)
    language = models.CharField(max_length=10, default="en", help_text="The language the consent text was shown in.")
    given_at = models.DateTimeField(default=timezone.now)
    ip_hash = models.CharField(max_length=64, help_text="HMAC-SHA256 of the client IP under a server secret.")
    user_agent = models.CharField(max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]


class StudioPolicy(models.Model):
    """Studio-wide settings of what guests get: privacy (retention), the studio's look on guest pages
    (colour, logo, watermark text) and the defaults of a new share link (sharing.services.studio_settings).
    A studio without a row gets the defaults."""

    studio = models.OneToOneField(Studio, on_delete=models.CASCADE, related_name="sharing_policy")
    retention_days = models.PositiveIntegerField(
        default=DEFAULT_RETENTION_DAYS,
        help_text="Face data of an event is destroyed this many days after the event (or its creation).",
    )
    brand_color = models.CharField(max_length=7, blank=True, help_text="#rrggbb of the guest pages' bar; empty: Visage's.")
    logo_key = models.CharField(max_length=200, blank=True, help_text="Storage key of the logo (PNG/JPEG/WebP); empty: none.")
    watermark_text = models.CharField(max_length=60, blank=True, help_text="On watermarked previews; empty: the studio's name.")
    link_expiry_days = models.PositiveIntegerField(null=True, blank=True, help_text="A new link expires this many days on.")
    link_max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="A new link's guest sessions.")
    link_download = models.CharField(max_length=10, choices=Download.choices, default=Download.ORIGINALS)
    link_watermark = models.BooleanField(default=False)
    link_pin_required = models.BooleanField(default=False, help_text="The link form asks for a PIN.")
    consent_note = models.TextField(blank=True, max_length=1000,
                                    help_text="The studio's own words under the consent text guests agree to.")
    consent_note_version = models.PositiveIntegerField(default=0, help_text="Counts changes of consent_note: part of "
                                                       "the version each consent record keeps (sharing.consent).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "studio policies"


class RemovalState(models.TextChoices):
    PENDING = "pending", "Waiting for the studio"
    CONFIRMED = "confirmed", "Confirmed: hidden for good"
    REJECTED = "rejected", "Rejected: faces restored"


class EventRemovalPolicy(models.Model):
    """Per event: whether a "forget me" may hide faces from everyone before the studio decides.

    Off (the default): a request hides the faces from the requesting guest's device only. On
    (schools): also from everyone, once the requester passes a second, fresh selfie of the same
    person (sharing.services.removals.removal_verify). No row: off.
    """

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="removal_policy")
    hide_at_once = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)


class RemovalRequest(models.Model):
    """A guest's "forget me": the faces their own selfie matched (one person's at most). Hidden at
    once from the requesting device only; from everyone when the studio confirms (or, where the
    event opts in, once the requester's second selfie matches); restored when it rejects."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="removal_requests")
    link = models.ForeignKey(ShareLink, null=True, on_delete=models.SET_NULL, related_name="removal_requests")
    consent = models.OneToOneField(GuestConsent, null=True, on_delete=models.SET_NULL, related_name="removal_request")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text="The person the hidden faces belong to, when they had been grouped.")
    face_ids = models.JSONField(default=list, help_text="Faces hidden from guest searches by this request.")
    state = models.CharField(max_length=10, choices=RemovalState.choices, default=RemovalState.PENDING)
    device_hash = models.CharField(max_length=64, blank=True, help_text="The requester's device: hidden for it now.")
    hidden_for_everyone = models.BooleanField(default=False, help_text="The faces are guest_excluded for all.")
    selfie_sha256 = models.CharField(max_length=64, blank=True, help_text="The selfie searched (not kept).")
    verify_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the second-selfie secret.")
    verified_at = models.DateTimeField(null=True, blank=True, help_text="When a second selfie matched.")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "state"])]


class RemovalLog(models.Model):
    """The audit trail of a removal request: filed, confirmed, rejected — by whom, when."""

    request = models.ForeignKey(RemovalRequest, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    faces = models.PositiveIntegerField(default=0, help_text="Faces hidden (filed, confirmed) or restored (rejected).")

    class Meta:
        ordering = ["at", "id"]


from sharing.notify_models import (  # noqa: E402,F401  (models of "new photos of me", in their own module)
    EventNotifyPolicy, NotifyChannel, NotifyMedium, NotifyMessage, NotifyMessageStatus, NotifySubscription,
)
