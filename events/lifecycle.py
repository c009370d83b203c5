"""How a photo's processing ends, or starts again: the lifecycle services the ingest engine
(recognition/ingest/) calls, and uploads and the storage audit too.

Every end is announced through ``events.hooks.photos_finished``, one send per event and call
(a stored batch is one notice, not one per photo). Who claims photos, renews leases and retries
after a transient error is the engine's business (recognition/ingest/claims.py, retries.py).
"""
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from events.hooks import PhotosFinished, photos_finished
from events.models import Photo, PhotoFailure, PhotoState


def photos_announce_finished(*, photos: Iterable[tuple[int, int]]) -> None:
    """(photo id, event id) pairs that just ended: one photos_finished per event."""
    by_event: dict[int, list[int]] = defaultdict(list)
    for photo_id, event_id in photos:
        by_event[event_id].append(photo_id)
    for event_id, photo_ids in sorted(by_event.items()):
        photos_finished.send(PhotosFinished(event_id=event_id, photo_ids=tuple(sorted(photo_ids))))


def photo_done(*, photo_id: int, **fields) -> None:
    photos_done(done={photo_id: fields})


def photos_done(*, done: dict[int, dict]) -> None:
    """End photos ``done`` (photo id → its own extra fields, e.g. derivative keys)."""
    now = timezone.now()
    for photo_id, fields in done.items():
        Photo.objects.filter(id=photo_id).update(
            state=PhotoState.DONE, failure_reason="", failure_code="", processed_at=now, lease_token=None,
            lease_until=None, retry_at=None, transient_errors=0, transient_since=None, **fields)
    if done:
        photos_announce_finished(photos=Photo.objects.filter(id__in=list(done)).values_list("id", "event_id"))


def photo_fail(*, photo_id: int, reason: str, token: uuid.UUID | None = None,
               code: str = PhotoFailure.PERMANENT) -> bool:
    """End the photo ``failed`` with a reason a person can read (only if still ours, given a
    token). True if it ended now."""
    rows = Photo.objects.filter(id=photo_id)
    if token is not None:
        rows = rows.filter(lease_token=token, state=PhotoState.PROCESSING)
    if not rows.update(state=PhotoState.FAILED, failure_reason=reason[:2000], failure_code=code,
                       processed_at=timezone.now(), lease_token=None, lease_until=None, retry_at=None):
        return False
    photos_announce_finished(photos=Photo.objects.filter(id=photo_id).values_list("id", "event_id"))
    return True


def photos_requeue(*, photos) -> int:
    """Queue photos again as if new (attempts, backoff and failure cleared); processing ones stay."""
    return photos.exclude(state=PhotoState.PROCESSING).update(
        state=PhotoState.QUEUED, attempts=0, lease_token=None, lease_until=None, failure_reason="",
        failure_code="", retry_at=None, transient_errors=0, transient_since=None, processed_at=None)
