"""Sharing's background work (retention by Celery beat, owners' e-mails on demand): thin, calls the service."""
import logging

from celery import shared_task

from sharing.notify.matching import notify_batch_match
from sharing.notify.sending import notify_deliver, notify_send, notify_send_due
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


@shared_task(name="sharing.tasks.notify_match", acks_late=True, soft_time_limit=120, time_limit=150)
def notify_match(photo_ids: list[int]) -> list[int]:
    """A finished batch against the opted-in guests; messages due now go at once. Idempotent: photos
    a guest already has are not added again."""
    due = notify_batch_match(photo_ids=photo_ids)
    for subscription_id in due:
        notify_send(subscription_id=subscription_id)
    return due


@shared_task(name="sharing.tasks.notify_send_due", acks_late=True, soft_time_limit=300, time_limit=330)
def notify_send_due_task() -> int:
    """Beat: messages held back by the minimum interval whose time came."""
    return len(notify_send_due())


@shared_task(name="sharing.tasks.notify_deliver", acks_late=True, soft_time_limit=60, time_limit=90)
def notify_deliver_task(message_id: int) -> str:
    """One try at one message (failure policy in sharing.notify.sending.notify_deliver: retried by
    the beat at its retry time, failed with the reason after VISAGE_NOTIFY_SEND_TRIES)."""
    return notify_deliver(message_id=message_id)
