"""The engine's Celery task and how workers are woken. A wake is only a nudge: the photos wait in
the database, and the message carries none of them, so a lost, duplicated or redelivered wake
changes nothing but timing. A broker that is down loses the nudge, never a photo: the reconciler
(reconcile.py, a beat task) wakes workers for whatever is waiting.

Uploads live in events, which may not import this package: they ask for a wake through the
required hook ``events.hooks.ingest_due``, which recognition subscribes ``ingest_wake_due`` to
(recognition/apps.py).
"""
import logging

from celery import shared_task
from django.utils import timezone

from events.conf import ingest as ingest_config
from events.hooks import IngestDue
from recognition.ingest.engine import ingest_run
from recognition.ingest.retries import photos_next_retry
from recognition.tasks import queue_people_update

logger = logging.getLogger(__name__)


@shared_task(name="recognition.ingest.run", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=ingest_config().ingest_task_seconds + 120,
             time_limit=ingest_config().ingest_task_seconds + 180)
def ingest_run_task() -> None:
    """Woken by uploads and the reconciler: process waiting photos in batches (engine.py)."""
    report = ingest_run()
    for event_id in report.events:
        queue_people_update(event_id)
    if report.more_waiting:
        ingest_wake()  # hand over to a fresh task rather than hold one for ever
    if report.released:
        _wake_after_backoff()


def ingest_wake(*, photos: int = 1, countdown: float | None = None) -> int:
    """Send enough wakes for ``photos`` new photos (one per batch, at most one per worker slot),
    after ``countdown`` seconds if given (photos waiting out a backoff).

    Returns how many were sent; 0 when the broker is unreachable.
    """
    wakes = max(1, min(-(-photos // ingest_config().ingest_batch), ingest_config().ingest_max_wakes))
    sent = 0
    try:
        for _ in range(wakes):
            ingest_run_task.apply_async(queue=ingest_config().ingest_queue, countdown=countdown)
            sent += 1
    except Exception as exc:  # noqa: BLE001 - any broker failure: the reconciler wakes workers later
        logger.warning("could not wake ingest workers (%s: %s); photos stay queued until the reconciler runs",
                       exc.__class__.__name__, exc)
    return sent


def ingest_wake_due(due: IngestDue) -> None:
    """Subscribed to events.hooks.ingest_due (uploads, a retried photo)."""
    ingest_wake(photos=due.photos, countdown=due.countdown)


def _wake_after_backoff() -> None:
    """Photos sent back by a transient error are claimable at their retry_at: be there then
    (if this wake is lost too, the reconciler wakes workers for them)."""
    next_retry = photos_next_retry()
    if next_retry is not None:
        ingest_wake(countdown=max(1.0, (next_retry - timezone.now()).total_seconds()))
