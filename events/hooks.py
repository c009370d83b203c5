"""What events tells the apps above it (core/hooks.py). events may not import them (the layering
contract): they subscribe in their AppConfig.ready(). Payloads carry ids, never rows."""
from dataclasses import dataclass

from core.hooks import Hook


@dataclass(frozen=True)
class EventDeleting:
    """About to delete the event's objects and rows: destroy what must go first."""

    studio_id: int
    event_id: int


@dataclass(frozen=True)
class EventVisibilityChanged:
    """What guests may find in the event changed (a photo hidden, the event gone)."""

    event_id: int


@dataclass(frozen=True)
class PhotosFinished:
    """Photos of one event that just ended ``done`` or ``failed`` (sent inside the transaction
    that ended them, where there is one: subscribers add rows or on-commit work, never locks)."""

    event_id: int
    photo_ids: tuple[int, ...]


@dataclass(frozen=True)
class IngestDue:
    """Photos wait for the ingest engine (queued after commit, or after a backoff of
    ``countdown`` seconds): wake enough workers."""

    photos: int = 1
    countdown: float | None = None


event_deleting = Hook(
    "events.event_deleting", EventDeleting, required=True,
    why="The ingest engine's app (recognition) shreds the event's data key here: without it a deleted "
        "event's embeddings stay decryptable. Subscribe recognition.services.keys.event_key_shred.")
event_visibility_changed = Hook("events.event_visibility_changed", EventVisibilityChanged)
photos_finished = Hook("events.photos_finished", PhotosFinished)
ingest_due = Hook(
    "events.ingest_due", IngestDue, required=True,
    why="Uploads wake the ingest engine through this hook: without a subscriber photos wait for the "
        "reconciler. Subscribe recognition.ingest.wake.ingest_wake_due.")
