"""Waking ingest workers. A wake is only a nudge: the photos wait in the database.

The engine's task lives in the recognition app; events must not import it (arrows point down),
so the wake is sent by task name. A broker that is down loses the nudge, never a photo: the
reconciler (events/reconcile.py, a beat task) wakes workers for whatever is waiting.
"""
import logging

from celery import current_app

from events.conf import ingest as ingest_config

logger = logging.getLogger(__name__)

INGEST_TASK = "recognition.tasks.ingest_run"


def ingest_wake(*, photos: int = 1, countdown: float | None = None) -> int:
    """Send enough wakes for ``photos`` new photos (one per batch, at most one per worker slot),
    after ``countdown`` seconds if given (photos waiting out a backoff).

    Returns how many were sent; 0 when the broker is unreachable.
    """
    wakes = max(1, min(-(-photos // ingest_config().ingest_batch), ingest_config().ingest_max_wakes))
    sent = 0
    try:
        for _ in range(wakes):
            # A signature by name, not send_task: it honours task_always_eager (tests, demos).
            current_app.signature(INGEST_TASK, queue=ingest_config().ingest_queue).apply_async(countdown=countdown)
            sent += 1
    except Exception as exc:  # noqa: BLE001 - any broker failure: the reconciler wakes workers later
        logger.warning("could not wake ingest workers (%s: %s); photos stay queued until the reconciler runs",
                       exc.__class__.__name__, exc)
    return sent
