""""Not the same person": dismissing a merge suggestion, and taking that back.

A dismissed pair is a cannot-link between two people (recognition.models.DismissedPair): it is never
suggested again and the automatic merge stage never joins them (services.people reads it with the
other cannot-links). Deleting either person deletes the pair.
"""
from django.db import transaction
from django.http import Http404

from core.errors import DomainError
from events.models import Event
from recognition.models import DismissedPair, Person


class PairInvalid(DomainError):
    code = "pair_invalid"
    message = "Name two different people of this event."


def _ordered_pair(*, event: Event, person_ids: list[int]) -> tuple[int, int]:
    """The two ids, smaller first, once both are people of this event (else 404 like a stranger's)."""
    ids = sorted(set(person_ids))
    if len(ids) != 2:
        raise PairInvalid()
    a, b = ids
    if Person.objects.filter(event=event, id__in=(a, b)).count() != 2:
        raise Http404("No such person in this event.")
    return a, b


@transaction.atomic
def merge_suggestion_dismiss(*, event: Event, person_ids: list[int], user=None) -> DismissedPair:
    """Record that two people differ; dismissing an already dismissed pair returns the same row."""
    a, b = _ordered_pair(event=event, person_ids=person_ids)
    pair, _ = DismissedPair.objects.get_or_create(
        person_a_id=a, person_b_id=b, defaults={"studio_id": event.studio_id, "event": event, "user": user})
    return pair


@transaction.atomic
def merge_suggestion_restore(*, event: Event, person_ids: list[int]) -> bool:
    """Undo a dismissal: the pair may be suggested (and merged by the machine) again. False if there
    was none."""
    a, b = _ordered_pair(event=event, person_ids=person_ids)
    deleted, _ = DismissedPair.objects.filter(event=event, person_a_id=a, person_b_id=b).delete()
    return bool(deleted)
