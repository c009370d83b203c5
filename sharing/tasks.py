"""Sharing's background work (retention by Celery beat, owners' e-mails on demand): thin, calls the service."""
import logging

from celery import shared_task

from sharing.services.removal_notices import removal_owners_email
from sharing.services.retention import retention_purge

logger = logging.getLogger(__name__)


@shared_task(name="sharing.tasks.purge_expired", acks_late=True, soft_time_limit=1800, time_limit=1900)
def purge_expired() -> dict:
    """Idempotent: an event already purged has no key and no faces, so it is not selected again."""
    report = retention_purge()
    logger.info("retention: purged face data of %d event(s) (%d faces), %d expired guest session(s)",
                len(report.events), report.faces, report.sessions)
    return {"events": report.events, "faces": report.faces, "sessions": report.sessions}


@shared_task(name="sharing.tasks.removal_owners_notify", acks_late=True, autoretry_for=(OSError,), retry_backoff=30,
             max_retries=5)
def removal_owners_notify(request_id: int) -> int:
    """E-mail the studio's owners about a new "forget me" request; retried while the mail server is down."""
    return len(removal_owners_email(request_id=request_id))
