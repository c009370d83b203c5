"""Periodic housekeeping of the shared infrastructure (beat schedule in visage/settings/base.py)."""
from celery import shared_task

from core.idempotency import idempotency_purge


@shared_task(name="core.tasks.idempotency_purge", ignore_result=True)
def purge_idempotency_records() -> int:
    """Idempotency keys older than 24 h: their answers are no longer replayed."""
    return idempotency_purge()


@shared_task(name="core.tasks.mail_send", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def mail_send(subject: str, body: str, to: list[str]) -> int:
    """One plain-text e-mail rendered by the caller (a password reset, a team invitation), sent off the
    request: how long the mail server takes never shows whether an address has an account. Retried
    while the mail server is down."""
    from django.core.mail import send_mail

    return send_mail(subject, body, None, to)
