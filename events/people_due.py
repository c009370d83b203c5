"""Which events owe a people update: an outbox flag on the event, kept in the database.

The engine sets ``people_due_at`` in the transaction that stores a batch's faces; the people
update clears it in its own transaction (after locking the event, so a batch stored meanwhile
sets it again). A people update whose message was lost (the broker down as a batch ended) thus
leaves a flag behind, and the ingest engine's reconciler (recognition/ingest/reconcile.py)
queues the update for every event this module says is overdue.
"""
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from events.conf import ingest as ingest_config
from events.models import Event

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
