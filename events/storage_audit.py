"""The storage side of the reconciler: rows without their original, objects no row points to.

Run by ``python manage.py reconcile [--repair]`` (recognition/ingest/reconcile.py adds the queue
side). With ``repair``: such a row ends ``failed`` with the reason, a done photo whose preview is
gone is queued again (the engine rebuilds it), an orphan object older than the grace period (so
never an upload still in flight) is deleted.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from core.storage import event_prefix, object_storage
from events.lifecycle import photo_fail, photos_requeue
from events.models import Event, Photo, PhotoFailure, PhotoState

ORPHAN_GRACE = timedelta(hours=1)


@dataclass
class StorageAudit:
    rows_without_objects: list[str] = field(default_factory=list)  # "photo 12: key"
    missing_previews: list[int] = field(default_factory=list)
    objects_without_rows: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    def audit_summary(self) -> dict:
        return {"rows_without_objects": len(self.rows_without_objects), "missing_previews": len(self.missing_previews),
                "objects_without_rows": len(self.objects_without_rows), "repaired": len(self.repaired)}


def storage_audit(*, audit: StorageAudit, repair: bool = False, event_id: int | None = None) -> StorageAudit:
    """Every event's objects against its rows (or one event's), findings added to ``audit``."""
    events = Event.objects.filter(id=event_id) if event_id else Event.objects.all()
    for event in events.order_by("id").iterator():
        _audit_event(event, audit, repair=repair)
    return audit


def _audit_event(event: Event, report: StorageAudit, *, repair: bool) -> None:
    storage = object_storage()
    prefix = event_prefix(studio_id=event.studio_id, event_id=event.id)
    originals = {f"{prefix}originals/{name}" for name in _files(storage, f"{prefix}originals/")}
    photos = Photo.objects.filter(event=event).only("id", "original_key", "preview_key", "state")
    known = set()
    for photo in photos.iterator(chunk_size=1000):
        known.add(photo.original_key)
        if photo.original_key not in originals:
            report.rows_without_objects.append(f"photo {photo.id}: {photo.original_key}")
            if repair and photo.state != PhotoState.FAILED:
                photo_fail(photo_id=photo.id, reason="the original is missing from storage (found by reconcile)",
                           code=PhotoFailure.PERMANENT)
                report.repaired.append(f"photo {photo.id}: failed, original missing")
        elif photo.state == PhotoState.DONE and photo.preview_key and not storage.exists(photo.preview_key):
            report.missing_previews.append(photo.id)
            if repair:
                photos_requeue(photos=Photo.objects.filter(id=photo.id))
                report.repaired.append(f"photo {photo.id}: queued again to rebuild its preview")
    for key in sorted(originals - known):
        report.objects_without_rows.append(key)
        if repair and timezone.now() - storage.get_modified_time(key) > ORPHAN_GRACE:
            storage.delete(key)
            report.repaired.append(f"deleted orphan {key}")


def _files(storage, prefix: str) -> list[str]:
    try:
        return storage.listdir(prefix)[1]
    except FileNotFoundError:  # nothing stored there yet (S3 lists an empty prefix instead)
        return []
