"""The one place "new photos of me" hears about finished batches: `events.hooks.photos_finished`
(sent inside the transaction that ended the photos). All this does is queue
notify_match (below, task name sharing.tasks.notify_match) once that transaction commits, so matching never runs under ingest's
locks and never holds a batch up. Subscribed in SharingConfig.ready()."""
from django.db import transaction

from celery import shared_task

from events.hooks import PhotosFinished
from sharing.notify.matching import notify_batch_match
from sharing.notify.sending import notify_send


def photos_finished_queue_match(payload: PhotosFinished) -> None:
    ids = [int(photo_id) for photo_id in payload.photo_ids]
    if ids:
        transaction.on_commit(lambda: notify_match.delay(ids))


@shared_task(name="sharing.tasks.notify_match", acks_late=True, soft_time_limit=120, time_limit=150)
def notify_match(photo_ids: list[int]) -> list[int]:
    """A finished batch against the opted-in guests; messages due now go at once. Idempotent: photos
    a guest already has are not added again."""
    due = notify_batch_match(photo_ids=photo_ids)
    for subscription_id in due:
        notify_send(subscription_id=subscription_id)
    return due
