"""The reconciler: nothing stays queued, stuck or half-stored unnoticed.

Run by beat every VISAGE_RECONCILE_SECONDS (queue side only, tasks.py) and by
``python manage.py reconcile [--repair]`` (queue side plus events' storage audit):
- photos whose every attempt was interrupted end ``failed`` with a reason (claims.py);
- photos that failed only because storage was away (code ``transient``) are queued again once
  storage answers (retries.py);
- events whose faces wait for a people update that never came (its message lost) get one queued;
- rows without their original, and objects no row points to, are reported and, with ``repair``,
  fixed (events/storage_audit.py);
- workers are woken when photos wait (queued after a lost wake, past their lease or backoff).
"""
from dataclasses import dataclass, field

from events.people_due import events_people_overdue
from events.storage_audit import StorageAudit, storage_audit
from recognition.ingest.claims import photos_give_up_interrupted, photos_waiting
from recognition.ingest.retries import photos_requeue_transient
from recognition.ingest.worker import ingest_wake
from recognition.tasks import queue_people_update


@dataclass
class ReconcileReport(StorageAudit):
    waiting: int = 0
    gave_up: int = 0
    requeued: int = 0  # failed only for transient reasons, queued again
    people_overdue: list[int] = field(default_factory=list)  # event ids
    people_queued: int = 0
    woken: int = 0

    def summary(self) -> dict:
        return {"waiting": self.waiting, "gave_up": self.gave_up, "requeued": self.requeued,
                "people_overdue": len(self.people_overdue), "people_queued": self.people_queued, "woken": self.woken,
                **self.audit_summary()}


def reconcile(*, check_storage: bool = True, repair: bool = False, event_id: int | None = None) -> ReconcileReport:
    report = ReconcileReport(gave_up=photos_give_up_interrupted())
    report.requeued = photos_requeue_transient(event_id=event_id)
    report.people_overdue = events_people_overdue()
    report.people_queued = sum(bool(queue_people_update(overdue)) for overdue in report.people_overdue)
    if check_storage:
        storage_audit(audit=report, repair=repair, event_id=event_id)
    report.waiting = photos_waiting()
    if report.waiting:
        report.woken = ingest_wake(photos=report.waiting)
    return report
