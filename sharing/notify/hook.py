"""The one place "new photos of me" hears about finished batches: `events.hooks.photos_finished`
(sent inside the transaction that ended the photos). All this does is queue
notify_match (below, task name sharing.tasks.notify_match) once that transaction commits, so matching never runs under ingest's
locks and never holds a batch up. Subscribed in SharingConfig.ready()."""
import logging

from django.db import transaction

from celery import shared_task

from events.hooks import PhotosFinished
from sharing.notify.matching import notify_batch_match
from sharing.notify.sending import notify_send

logger = logging.getLogger(__name__)


def photos_finished_queue_match(payload: PhotosFinished) -> None:
    ids = [int(photo_id) for photo_id in payload.photo_ids]
    if ids:
        transaction.on_commit(lambda: _queue_match(ids))


def _queue_match(ids: list[int]) -> None:
    """After the store committed: queue the matching; with the broker down, match here instead (a
    batch's matching takes 40-160 ms), so neither the batch nor the guests' notices are lost."""
    try:
        notify_match.delay(ids)
    except Exception as exc:  # noqa: BLE001 - any broker failure
        logger.warning("could not queue notify matching for %d photo(s) (%s: %s); matching in this process",
                       len(ids), exc.__class__.__name__, exc)
        try:
            notify_match(ids)
        except Exception:  # noqa: BLE001 - never fail the ingest that already committed
            logger.exception("notify matching for photos %s failed", ids[:20])


@shared_task(name="sharing.tasks.notify_match", acks_late=True, soft_time_limit=120, time_limit=150)
def notify_match(photo_ids: list[int]) -> list[int]:
    """A finished batch against the opted-in guests; messages due now go at once. Idempotent: photos
    a guest already has are not added again."""
    due = notify_batch_match(photo_ids=photo_ids)
    for subscription_id in due:
        notify_send(subscription_id=subscription_id)
    return due
