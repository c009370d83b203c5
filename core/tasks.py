"""Periodic housekeeping of the shared infrastructure (beat schedule in visage/settings/base.py)."""
from celery import shared_task

from core.idempotency import idempotency_purge


@shared_task(name="core.tasks.idempotency_purge", ignore_result=True)
def purge_idempotency_records() -> int:
    """Idempotency keys older than 24 h: their answers are no longer replayed."""
    return idempotency_purge()
