"""The one place "new photos of me" hears about finished batches.

Today that is the `events.signals.photos_finished` signal (sent inside the store transaction);
all this does is queue sharing.tasks.notify_match once that transaction commits, so matching
never runs under ingest's locks and never holds a batch up. When the signal becomes a typed
hook, register `photos_finished_queue_match` with it instead (docs/sharing.md, "New photos of me").
"""
from django.db import transaction


def photos_finished_queue_match(*, photo_ids: list[int]) -> None:
    from sharing.tasks import notify_match  # tasks import the services

    ids = [int(photo_id) for photo_id in photo_ids]
    if ids:
        transaction.on_commit(lambda: notify_match.delay(ids))


def _on_photos_finished(sender, *, photo_ids, **kwargs) -> None:
    photos_finished_queue_match(photo_ids=photo_ids)


def connect() -> None:
    from events.signals import photos_finished

    photos_finished.connect(_on_photos_finished, dispatch_uid="sharing.notify.photos_finished")
