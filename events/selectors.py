"""Reads for events and photos. Every lookup is inside a studio: a foreign id is a 404."""
from django.db.models import Q, QuerySet

from events.counters import events_counters
from events.models import Event, Photo
from core.tenancy.models import Studio


def event_list(*, studio: Studio | None, user=None) -> QuerySet[Event]:
    """The studio's events, plus (with `user`) the events they organize in other studios."""
    scope = Q(studio=studio) if studio is not None else Q(pk__in=[])
    if user is not None:
        scope |= Q(organizers__user=user)
    return Event.objects.filter(scope).distinct()


def photo_list(*, event: Event) -> QuerySet[Photo]:
    return Photo.objects.filter(event=event).order_by("id")


def event_counters(*, event: Event) -> dict[str, int]:
    """Processing progress, as shown on the event page and in the API."""
    return events_counters([event.id])[event.id]
