"""The engine's periodic task: the reconciler (thin; the work is in reconcile.py). The engine's
own task, woken per upload, is in worker.py."""
import logging

from celery import shared_task

from recognition.ingest.reconcile import reconcile

logger = logging.getLogger(__name__)


@shared_task(name="recognition.ingest.reconcile", acks_late=True, soft_time_limit=120, time_limit=180)
def reconcile_task() -> None:
    """Beat: give up on photos out of attempts, queue transient failures and lost people updates
    again, wake workers for anything waiting."""
    report = reconcile(check_storage=False)
    if report.woken or report.gave_up or report.requeued or report.people_queued:
        logger.info("reconcile: %s", report.summary())
