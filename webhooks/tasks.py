"""Webhook tasks (queue `webhooks`): thin, the work is in webhooks/sending.py and services.py."""
import logging

from celery import shared_task
from django.utils import timezone

from webhooks.models import DeliveryStatus
from webhooks.sending import delivery_attempt
from webhooks.services import deliveries_dispatch_due, deliveries_prune, delivery_dispatch

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.tasks.deliver", acks_late=True, soft_time_limit=60, time_limit=90)
def deliver(delivery_id: int) -> None:
    """One attempt; on failure the next one is queued for when its backoff delay runs out (the
    beat sweep sends it anyway if that message is lost)."""
    delivery = delivery_attempt(delivery_id=delivery_id)
    if delivery is not None and delivery.status == DeliveryStatus.PENDING:
        wait = max(0.0, (delivery.next_attempt_at - timezone.now()).total_seconds())
        delivery_dispatch(delivery_id=delivery_id, countdown=wait)


@shared_task(name="webhooks.tasks.dispatch_due", acks_late=True, soft_time_limit=60, time_limit=90)
def dispatch_due() -> None:
    """Beat: queue due deliveries (retries, lost messages); drop log entries past their days."""
    sent, pruned = deliveries_dispatch_due(), deliveries_prune()
    if sent or pruned:
        logger.info("webhooks: %d due deliveries queued, %d old log entries removed", sent, pruned)
