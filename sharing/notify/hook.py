"""The one place "new photos of me" hears about finished batches: `events.hooks.photos_finished`
(sent inside the transaction that ended the photos). All this does is queue
sharing.tasks.notify_match once that transaction commits, so matching never runs under ingest's
locks and never holds a batch up. Subscribed in SharingConfig.ready()."""
from django.db import transaction

from events.hooks import PhotosFinished


def photos_finished_queue_match(payload: PhotosFinished) -> None:
    from sharing.tasks import notify_match  # tasks import the services

    ids = [int(photo_id) for photo_id in payload.photo_ids]
    if ids:
        transaction.on_commit(lambda: notify_match.delay(ids))
