"""Faces found in photos, and each event's wrapped data key (embeddings are never stored in clear)."""
import uuid

from django.db import models

from events.models import Event, Photo
from core.tenancy.models import Studio


class EventKey(models.Model):
    """The event's data key, wrapped by a master key. Deleting it crypto-shreds the embeddings."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="data_key")
    wrapped_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)


class Person(models.Model):
    """A group of faces believed to be one person in one event.

    `curated` is set by any user action (rename, merge, split, reject): re-clustering never
    renames, merges or splits a curated person.
    """

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=100, blank=True)
    hidden = models.BooleanField(default=False, help_text="Hidden people are never shown or searchable by guests.")
    curated = models.BooleanField(default=False)
    cover_face = models.ForeignKey("Face", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or f"Person {self.id}"


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
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="faces")
    # "Not this person": faces a user rejected from a person; never assigned back to them.
    rejected_people = models.ManyToManyField(Person, blank=True, related_name="rejected_faces")
    guest_excluded = models.BooleanField(default=False, help_text="The guest asked to be forgotten: never matched again.")
    # Fixing faces by hand (recognition.services.face_edits): a face drawn by a user, and a face set
    # aside as "not a face" or "ignored" (a background person): never clustered, searched or listed.
    added_by_hand = models.BooleanField(default=False)
    set_aside = models.CharField(max_length=12, blank=True, default="", choices=[
        ("", "kept"), ("not_face", "not a face"), ("ignored", "ignored (background person)")])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["event", "usable"]), models.Index(fields=["event", "person"])]

    @property
    def box(self) -> list[float]:
        return [self.x1, self.y1, self.x2, self.y2]


class CurationAction(models.Model):
    """One user change to people, with what it replaced, so the last one can be undone."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="curation_actions")
    user = models.ForeignKey("tenancy.User", null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20)  # rename | hide | merge | split | reject
    label = models.CharField(max_length=200, blank=True, help_text="What it did, in words: “merged Person 9 into Ana”.")
    scope = models.CharField(max_length=40, default="api", help_text="The page it was made on (“people”, "
                             "“person:12”) or “api”: a page offers to undo only its own changes.")
    before = models.JSONField(help_text="People rows, face→person and rejections as they were.")
    created_people = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["event", "scope"])]


class SearchLog(models.Model):
    """One face search (e.g. a guest selfie), for the event's analytics: when, how long, how many."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="search_logs")
    created_at = models.DateTimeField(auto_now_add=True)
    search_ms = models.FloatField()
    matches = models.PositiveIntegerField()


class SearchIndexState(models.Model):
    """The version of an event's search index, in the database so no cache eviction can reset it.

    `version` moves on every change; `removals_version` only on changes other than added faces,
    so a process that sees only the first move can append instead of re-reading every face.
    `generation` is random per row: an event id reused after a delete never matches old caches.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.BigIntegerField(default=0)
    removals_version = models.BigIntegerField(default=0)
    generation = models.UUIDField(default=uuid.uuid4, editable=False)


class SearchIndexAddition(models.Model):
    """Faces stored by one append-only change: the log a cached index replays instead of rebuilding."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    version = models.BigIntegerField()
    face_ids = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "version"], name="search_index_addition_version")]


class EventCalibration(models.Model):
    """The embedder an event's faces were made with and the thresholds measured for it.

    Recorded with the first stored face and read by assignment, clustering, merge suggestions and
    search, so an event keeps one model and one set of thresholds (recognition.ml.calibration):
    faces of another embedder are refused until the event is re-embedded (services.reembed).
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, primary_key=True, related_name="calibration")
    embedder_name = models.CharField(max_length=40)
    embedder_version = models.CharField(max_length=80)
    embedder_dim = models.PositiveSmallIntegerField()
    match_threshold = models.FloatField(help_text="Cosine at or above which two faces are one person (grouping).")
    search_threshold = models.FloatField(help_text="Stricter cosine for guest searches (precision first).")
    search_person_threshold = models.FloatField(
        help_text="A guest's match must also reach this cosine with the matched person's mean face.")
    cluster_threshold = models.FloatField(
        help_text="Cosine at which the first clustering stage (average linkage) stops; stricter than the match.")
    small_face_threshold = models.FloatField(help_text="Stricter cosine for small faces joining a person.")
    merge_threshold = models.FloatField(help_text="Cosine of two people's mean faces above which they are merged.")
    suggest_threshold = models.FloatField(help_text="Lowest mean-face cosine offered as a merge suggestion.")
    confidence_slope = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class DismissedPair(models.Model):
    """"Not the same person": two people a user said differ. Never suggested again and never merged
    by the machine (a cannot-link between them); deleting the row undoes it. ``person_a`` < ``person_b``."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dismissed_pairs")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("tenancy.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="dismissed_pair_once"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")), name="dismissed_pair_ordered"),
        ]
