"""Writes for events and photos."""
import logging
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from events.inspection import PhotoInfo, RejectedFile, inspect_photo, size_limit_message
from events.models import Event, EventOrganizer, Photo, PhotoSource, PhotoState, UploadRejection
from events.hooks import (EventDeleting, EventVisibilityChanged, IngestDue, event_deleting, event_visibility_changed,
                          ingest_due)
from events.lifecycle import photos_requeue
from events.transient import TRANSIENT_ERRORS
from core.storage import delete_prefix, event_prefix, object_storage, original_key
from core.tenancy.models import Membership, Studio, User

logger = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """Object storage could not take the bytes: nothing of that file was stored; retry later."""


@dataclass(frozen=True)
class UploadOutcome:
    filename: str
    status: str  # "created" | "duplicate" | "rejected"
    photo: Photo | None = None
    reason: str = ""
    requeued: bool = False  # a duplicate of a failed photo, queued again to retry


def event_create(*, studio: Studio, user: User | None, name: str, starts_on: date | None = None) -> Event:
    return Event.objects.create(studio=studio, name=name.strip(), starts_on=starts_on, created_by=user)


def event_update(*, event: Event, **fields) -> Event:
    for name in ("name", "starts_on"):
        if name in fields:
            setattr(event, name, fields[name])
    event.save(update_fields=["name", "starts_on", "updated_at"])
    return event


def photo_set_hidden(*, photo: Photo, hidden: bool) -> Photo:
    Photo.objects.filter(id=photo.id).update(hidden=hidden)
    photo.hidden = hidden
    _search_changed(photo.event_id)
    return photo


def photos_set_hidden(*, event: Event, photo_ids: list[int], hidden: bool) -> list[int]:
    """Hide (or show) several of the event's photos at once; ids of other events are ignored.
    Returns the ids that are now in the asked state."""
    ids = list(Photo.objects.filter(event=event, id__in=photo_ids).order_by("id").values_list("id", flat=True))
    Photo.objects.filter(id__in=ids).exclude(hidden=hidden).update(hidden=hidden)
    _search_changed(event.id)
    return ids


def event_delete(*, event: Event) -> None:
    """Crypto-shred the embeddings (data key first), then the stored objects, then the rows."""
    event_deleting.send(EventDeleting(studio_id=event.studio_id, event_id=event.id))  # the key shredder (required)
    delete_prefix(object_storage(), event_prefix(studio_id=event.studio_id, event_id=event.id))
    event.delete()
    _search_changed(event.id)


def _search_changed(event_id: int) -> None:
    event_visibility_changed.send(EventVisibilityChanged(event_id=event_id))


def photos_upload(*, event: Event, user: User | None, files: list[UploadedFile],
                  source: str = PhotoSource.API) -> list[UploadOutcome]:
    """Store each file independently: one bad file never spoils the others.

    Stored photos wait in the database as ``queued``; workers are woken once the rows are
    committed (a broker outage only delays them: the reconciler wakes workers later). If storage
    fails, StorageUnavailable is raised: files stored before it stay (and are woken), the failing
    one left nothing, so retrying the whole request is safe (stored ones come back "duplicate").
    A file with the same bytes as a photo that failed retries that photo (a "duplicate" whose
    photo is queued again). `source` (a PhotoSource) records how the files came in; every source
    (web page, API, camera FTP, hot folder, import) goes through here.
    """
    outcomes: list[UploadOutcome] = []
    try:
        for uploaded in files:
            outcomes.append(photo_upload(event=event, user=user, uploaded=uploaded, source=source))
    finally:
        queued = sum(outcome.status == "created" or outcome.requeued for outcome in outcomes)
        if queued:
            transaction.on_commit(lambda: ingest_due.send(IngestDue(photos=queued)))
    return outcomes


def photo_upload(*, event: Event, user: User | None, uploaded: UploadedFile,
                 source: str = PhotoSource.API) -> UploadOutcome:
    filename = (uploaded.name or "unnamed")[:255]
    try:
        if getattr(uploaded, "visage_oversize", False):
            raise RejectedFile(size_limit_message())
        info = inspect_photo(uploaded.file, uploaded.size)
    except RejectedFile as exc:
        UploadRejection.objects.create(studio_id=event.studio_id, event=event, source=source, filename=filename,
                                       reason=str(exc))
        return UploadOutcome(filename=filename, status="rejected", reason=f"{filename}: {exc}")
    existing = Photo.objects.filter(event=event, sha256=info.sha256).first()
    if existing is not None and existing.state == PhotoState.FAILED:
        return _photo_retry(photo=existing, uploaded=uploaded, filename=filename)
    if existing is not None:
        return _duplicate(filename, existing)
    try:
        photo = _photo_store(event=event, user=user, uploaded=uploaded, filename=filename, info=info,
                             source=source)
    except IntegrityError:  # the same bytes arrived concurrently in another request
        return _duplicate(filename, Photo.objects.get(event=event, sha256=info.sha256))
    return UploadOutcome(filename=filename, status="created", photo=photo)


def _duplicate(filename: str, existing: Photo) -> UploadOutcome:
    reason = f"{filename}: same bytes as {existing.original_filename} (photo {existing.id}) already in this event"
    return UploadOutcome(filename=filename, status="duplicate", photo=existing, reason=reason)


def _photo_retry(*, photo: Photo, uploaded: UploadedFile, filename: str) -> UploadOutcome:
    """The same bytes again after the photo failed: queue it again as new, its original put back
    first if storage lost it (the bytes are the same, SHA-256 checked)."""
    storage = object_storage()
    try:
        if not storage.exists(photo.original_key):
            uploaded.seek(0)
            storage.save(photo.original_key, uploaded)
    except TRANSIENT_ERRORS as exc:
        raise _storage_unavailable(filename=filename, event_id=photo.event_id, exc=exc) from exc
    failed_because = photo.failure_reason
    if not photos_requeue(photos=Photo.objects.filter(id=photo.id, state=PhotoState.FAILED)):
        return _duplicate(filename, photo)  # another request retried it a moment ago
    photo.refresh_from_db()
    reason = (f"{filename}: same bytes as {photo.original_filename} (photo {photo.id}), which had failed "
              f"({failed_because}); queued again to retry")
    return UploadOutcome(filename=filename, status="duplicate", photo=photo, reason=reason, requeued=True)


def _storage_unavailable(*, filename: str, event_id: int, exc: Exception) -> StorageUnavailable:
    logger.warning("upload of %s to event %s: storage unavailable: %s", filename, event_id, exc)
    return StorageUnavailable(
        f"{filename}: object storage is unavailable, so nothing of this file was stored; "
        "retry the upload in a moment (files already stored will come back as duplicates)")


def _photo_store(*, event: Event, user: User | None, uploaded: UploadedFile, filename: str, info: PhotoInfo,
                 source: str) -> Photo:
    """Row and object together: if storing the bytes fails, the row is rolled back."""
    storage = object_storage()
    key = original_key(studio_id=event.studio_id, event_id=event.id, filename=filename)
    try:
        return _photo_row_and_object(event=event, user=user, uploaded=uploaded, filename=filename, info=info,
                                     storage=storage, key=key, source=source)
    except TRANSIENT_ERRORS as exc:
        raise _storage_unavailable(filename=filename, event_id=event.id, exc=exc) from exc


def _photo_row_and_object(*, event: Event, user: User | None, uploaded: UploadedFile, filename: str,
                          info: PhotoInfo, storage, key: str, source: str) -> Photo:
    with transaction.atomic():
        photo = Photo.objects.create(
            studio_id=event.studio_id, event=event, original_filename=filename, original_key=key,
            size=info.size, sha256=info.sha256, content_type=info.content_type, width=info.width,
            height=info.height, orientation=info.orientation, taken_at=info.taken_at, uploaded_by=user,
            source=source,
        )
        uploaded.seek(0)
        # A spooled upload is moved (filesystem) or streamed in parts (S3): never read into memory.
        stored_key = storage.save(key, uploaded)
        if stored_key != key:  # storage renamed it: never expected with unique keys, so fail loudly
            storage.delete(stored_key)
            raise RuntimeError(f"storage refused key {key!r}")
    return photo


def studio_delete(*, studio: Studio) -> int:
    """Each event first (data key, then objects, then rows), then whatever else the studio
    stored under its prefix, then the studio and its memberships; then the accounts that only
    existed for this studio stop working. Returns events deleted."""
    people = set(Membership.objects.filter(studio=studio).values_list("user_id", flat=True))
    people |= set(EventOrganizer.objects.filter(event__studio=studio).values_list("user_id", flat=True))
    events = list(Event.objects.filter(studio=studio))
    for event in events:
        event_delete(event=event)
    delete_prefix(object_storage(), f"{studio.id}/")
    studio.delete()
    users_deactivate_orphaned(user_ids=people)
    return len(events)


@transaction.atomic
def users_deactivate_orphaned(*, user_ids: set[int]) -> int:
    """Accounts among `user_ids` that belong to no studio and organize no event any more:
    deactivated, password made unusable, API tokens deleted (their sessions die with is_active)."""
    still_used = set(Membership.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    still_used |= set(EventOrganizer.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    orphans = list(User.objects.filter(id__in=user_ids - still_used))
    for user in orphans:
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password", "password_changed_at"])
    Token.objects.filter(user__in=orphans).delete()
    return len(orphans)
