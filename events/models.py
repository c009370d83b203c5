"""Events and their photos. Every row carries its studio (the tenant)."""
from django.conf import settings
from django.db import models

from core.tenancy.models import Studio


class Event(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # An outbox flag, set in the transaction that stores faces and cleared by the people update:
    # the reconciler finds events whose people update was lost (a broker down at a batch's end).
    people_due_at = models.DateTimeField(null=True, blank=True, help_text="Faces stored since the last people update.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["studio", "-created_at"]),
                   models.Index(fields=["people_due_at"], condition=models.Q(people_due_at__isnull=False),
                                name="event_people_due")]

    def __str__(self) -> str:
        return self.name


class PhotoState(models.TextChoices):
    QUEUED = "queued", "Queued"
    PROCESSING = "processing", "Processing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class PhotoFailure(models.TextChoices):
    """Why a photo ended failed: only ``transient`` ones are retried by the reconciler."""

    TRANSIENT = "transient", "Infrastructure unavailable (storage, database) past the retry patience"
    INTERRUPTED = "interrupted", "Every attempt was interrupted (worker killed)"
    PERMANENT = "permanent", "The photo itself cannot be processed"


class PhotoSource(models.TextChoices):
    """How a photo came in: every source calls the same upload service (events.services.photos_upload)."""

    WEB = "web", "Web page"
    API = "api", "REST API"
    FTP = "ftp", "Camera (FTP)"
    HOT_FOLDER = "hot_folder", "Hot folder"
    IMPORT = "import", "Import"


class Photo(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    original_filename = models.CharField(max_length=255)
    original_key = models.CharField(max_length=500, unique=True)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    orientation = models.PositiveSmallIntegerField(default=1, help_text="EXIF orientation tag (1 = upright).")
    taken_at = models.DateTimeField(null=True, blank=True, help_text="EXIF capture time (UTC unless the EXIF gave an offset).")
    state = models.CharField(max_length=20, choices=PhotoState.choices, default=PhotoState.QUEUED)
    failure_reason = models.TextField(blank=True)
    preview_key = models.CharField(max_length=500, blank=True)
    thumbnail_key = models.CharField(max_length=500, blank=True)
    hidden = models.BooleanField(default=False, help_text="Hidden photos are never shown to guests.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=20, choices=PhotoSource.choices, default=PhotoSource.API,
                              help_text="How the photo came in (web page, API, camera FTP, hot folder, import).")
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # The ingest engine's claim (recognition/ingest/claims.py): the database, not the broker, says who works
    # on a photo. A lease that runs out (a killed worker) makes the photo claimable again.
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker claimed this photo.")
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    failure_code = models.CharField(max_length=20, choices=PhotoFailure.choices, blank=True)
    # Backoff after transient errors (recognition/ingest/retries.py): claims skip the photo until retry_at;
    # these errors never count as attempts, and give up only after the retry patience.
    retry_at = models.DateTimeField(null=True, blank=True)
    transient_errors = models.PositiveIntegerField(default=0)
    transient_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "sha256"], name="photo_unique_sha256_per_event")]
        indexes = [
            models.Index(fields=["event", "state"]), models.Index(fields=["state", "lease_until"]),
            # The gallery's default sort (events.selectors.PHOTO_SORTS["capture"]: taken_at ascending,
            # nulls last, then id) read in index order: a page is a LIMIT, not a sort of the whole event.
            models.Index(fields=["event", "taken_at", "id"], name="photo_event_capture_order"),
        ]

    def __str__(self) -> str:
        return self.original_filename


class UploadRejection(models.Model):
    """A file refused at upload (not an image, damaged, too large, a bomb): nothing of it was stored,
    so this row is all that remains, for the event page's live view and the API."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="upload_rejections")
    source = models.CharField(max_length=20, choices=PhotoSource.choices)
    filename = models.CharField(max_length=255)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"])]


class EventOrganizer(models.Model):
    """An event-level role: the event's client (a couple, a conference) who manages sharing.

    Organizers see and manage only this event: share links, hidden photos, analytics.
    """

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organizers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organized_events")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="organizer_unique_per_event")]
