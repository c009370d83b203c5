"""Webhook tasks (queue `webhooks`): thin, the work is in webhooks/outbox.py, dispatch.py (the
delivery task itself), sending.py and services.py."""
import logging

from celery import shared_task

from webhooks.dispatch import deliver, deliveries_dispatch_due  # noqa: F401  (deliver: registered with the app's tasks)
from webhooks.outbox import notice_record, notices_expand
from webhooks.services import deliveries_prune

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.tasks.expand_notices", acks_late=True, soft_time_limit=60, time_limit=90)
def expand_notices(row_id: int) -> None:
    """One outbox row (a hook's ids) into the deliveries it means; nothing if already expanded."""
    notices_expand(row_ids=[row_id])


def notice_to_outbox(payload) -> None:
    """Subscribed to the lower apps' hooks (webhooks/apps.py): one outbox row in the sender's
    transaction, expanded by expand_notices once it commits."""
    notice_record(payload, wake=_expand_soon)


def _expand_soon(row_id: int) -> None:
    try:
        expand_notices.delay(row_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the beat sweep expands the row
        logger.warning("could not queue webhook notices of outbox row %s (%s: %s); the sweep will", row_id,
                       exc.__class__.__name__, exc)


@shared_task(name="webhooks.tasks.dispatch_due", acks_late=True, soft_time_limit=60, time_limit=90)
def dispatch_due() -> None:
    """Beat: expand outbox rows left behind (lost wakes), queue due deliveries (retries, lost
    messages); drop log entries past their days."""
    expanded = notices_expand()
    sent, pruned = deliveries_dispatch_due(), deliveries_prune()
    if expanded or sent or pruned:
        logger.info("webhooks: %d outbox rows expanded, %d due deliveries queued, %d old log entries removed",
                    expanded, sent, pruned)
