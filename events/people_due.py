"""Which events owe a people update: an outbox flag on the event, kept in the database.

The engine sets ``people_due_at`` in the transaction that stores a batch's faces; the people
update clears it in its own transaction (after locking the event, so a batch stored meanwhile
sets it again). A people update whose message was lost (the broker down as a batch ended) thus
leaves a flag behind, and the reconciler queues the update through the hook recognition
registers here: events cannot import recognition (arrows point down).
"""
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.utils import timezone

from events.conf import ingest as ingest_config
from events.models import Event

logger = logging.getLogger(__name__)

# event id -> True if an update was queued now (False: one is already queued, or the broker is away).
PeopleUpdateQueue = Callable[[int], bool]
_queue: list[PeopleUpdateQueue] = []


def people_update_queue_register(queue: PeopleUpdateQueue) -> None:
    _queue[:] = [queue]


def events_people_due(*, event_ids: Iterable[int]) -> None:
    """Faces were stored for these events (call inside the storing transaction)."""
    Event.objects.filter(id__in=list(event_ids), people_due_at__isnull=True).update(people_due_at=timezone.now())


def event_people_due_take(*, event_id: int) -> None:
    """The people update starts reading faces (call inside its transaction). The lock waits for
    batches being stored (their faces hold the event row), so it reads every face the flag was for."""
    Event.objects.select_for_update().filter(id=event_id).values_list("id", flat=True).first()
    Event.objects.filter(id=event_id).update(people_due_at=None)


def event_people_due_later(*, event_id: int, seconds: int) -> None:
    """Faces left waiting for more photos are due again in ``seconds`` (a later run is queued)."""
    Event.objects.filter(id=event_id).update(people_due_at=timezone.now() + timedelta(seconds=seconds))


def events_people_overdue() -> list[int]:
    """Events whose people update is late by more than the grace: its message was lost."""
    grace = timedelta(seconds=ingest_config().reconcile_people_grace_seconds)
    return list(Event.objects.filter(people_due_at__lt=timezone.now() - grace).order_by("id").values_list("id", flat=True))


def people_updates_queue(*, event_ids: list[int]) -> int:
    """Queue the people update of each event (through recognition's hook); returns how many were queued."""
    if not _queue:
        if event_ids:
            logger.warning("no people-update hook registered; %d events wait for people", len(event_ids))
        return 0
    return sum(bool(_queue[0](event_id)) for event_id in event_ids)
