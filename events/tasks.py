"""Events' periodic task: the reconciler (thin; the work is in events/reconcile.py)."""
import logging

from celery import shared_task

from events.reconcile import reconcile

logger = logging.getLogger(__name__)


@shared_task(name="events.tasks.reconcile", acks_late=True, soft_time_limit=120, time_limit=180)
def reconcile_task() -> None:
    """Beat: give up on photos out of attempts, queue transient failures and lost people updates
    again, wake workers for anything waiting."""
    report = reconcile(check_storage=False)
    if report.woken or report.gave_up or report.requeued or report.people_queued:
        logger.info("reconcile: %s", report.summary())
