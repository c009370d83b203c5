"""The delivery task and how deliveries are handed to it: by the task object, never by name.
A broker that is down loses only the nudge: the beat sweep (``deliveries_dispatch_due``) re-sends
every pending delivery whose time has come."""
import logging

from celery import shared_task
from django.utils import timezone

from webhooks.models import Delivery, DeliveryStatus
from webhooks.sending import delivery_attempt

logger = logging.getLogger(__name__)


# Named as when it lived in webhooks/tasks.py, so messages already queued still find it.
@shared_task(name="webhooks.tasks.deliver", acks_late=True, soft_time_limit=60, time_limit=90)
def deliver(delivery_id: int) -> None:
    """One attempt; on failure the next one is queued for when its backoff delay runs out (the
    beat sweep sends it anyway if that message is lost)."""
    delivery = delivery_attempt(delivery_id=delivery_id)
    if delivery is not None and delivery.status == DeliveryStatus.PENDING:
        wait = max(0.0, (delivery.next_attempt_at - timezone.now()).total_seconds())
        delivery_dispatch(delivery_id=delivery_id, countdown=wait)


def delivery_dispatch(*, delivery_id: int, countdown: float | None = None) -> bool:
    """Nudge a worker; a broker that is down loses only the nudge (the beat sweep re-sends)."""
    try:
        deliver.apply_async((delivery_id,), countdown=countdown)
        return True
    except Exception as exc:  # noqa: BLE001 - any broker failure: deliveries_dispatch_due catches up
        logger.warning("could not queue webhook delivery %s (%s: %s); the sweep will", delivery_id,
                       exc.__class__.__name__, exc)
        return False


def deliveries_dispatch_due(*, limit: int = 500) -> int:
    """Beat: nudge workers for pending deliveries whose time has come (lost nudges, retries)."""
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())
    ids = list(due.order_by("next_attempt_at").values_list("id", flat=True)[:limit])
    return sum(delivery_dispatch(delivery_id=delivery_id) for delivery_id in ids)
