"""The reconciler: nothing stays queued, stuck or half-stored unnoticed.

Run by beat every VISAGE_RECONCILE_SECONDS (queue side only) and by
``python manage.py reconcile [--repair]`` (queue side plus a storage audit):
- photos whose every attempt was interrupted end ``failed`` with a reason;
- photos that failed only because storage was away (code ``transient``) are queued again once
  storage answers (events/retries.py);
- events whose faces wait for a people update that never came (its message lost) get one queued;
- workers are woken when photos wait (queued after a lost wake, past their lease or backoff);
- rows without their original object, and objects no row points to, are reported, and with
  ``repair`` fixed: such a row ends ``failed`` with the reason, a done photo whose preview is
  gone is queued again (the engine rebuilds it), an orphan object older than the grace period
  (so never an upload still in flight) is deleted.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from core.storage import event_prefix, object_storage
from events.claims import photo_fail, photos_give_up_interrupted, photos_waiting
from events.models import Event, Photo, PhotoFailure, PhotoState
from events.people_due import events_people_overdue, people_updates_queue
from events.retries import photos_requeue, photos_requeue_transient
from events.wake import ingest_wake

ORPHAN_GRACE = timedelta(hours=1)


@dataclass
class ReconcileReport:
    waiting: int = 0
    gave_up: int = 0
    requeued: int = 0  # failed only for transient reasons, queued again
    people_overdue: list[int] = field(default_factory=list)  # event ids
    people_queued: int = 0
    woken: int = 0
    rows_without_objects: list[str] = field(default_factory=list)  # "photo 12: key"
    missing_previews: list[int] = field(default_factory=list)
    objects_without_rows: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {"waiting": self.waiting, "gave_up": self.gave_up, "requeued": self.requeued,
                "people_overdue": len(self.people_overdue), "people_queued": self.people_queued, "woken": self.woken,
                "rows_without_objects": len(self.rows_without_objects), "missing_previews": len(self.missing_previews),
                "objects_without_rows": len(self.objects_without_rows), "repaired": len(self.repaired)}


def reconcile(*, check_storage: bool = True, repair: bool = False, event_id: int | None = None) -> ReconcileReport:
    report = ReconcileReport(gave_up=photos_give_up_interrupted())
    report.requeued = photos_requeue_transient(event_id=event_id)
    report.people_overdue = events_people_overdue()
    report.people_queued = people_updates_queue(event_ids=report.people_overdue)
    if check_storage:
        events = Event.objects.filter(id=event_id) if event_id else Event.objects.all()
        for event in events.order_by("id").iterator():
            _audit_event(event, report, repair=repair)
    report.waiting = photos_waiting()
    if report.waiting:
        report.woken = ingest_wake(photos=report.waiting)
    return report


def _audit_event(event: Event, report: ReconcileReport, *, repair: bool) -> None:
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
