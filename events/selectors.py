"""Reads for events and photos. Every lookup is inside a studio: a foreign id is a 404."""
from django.db.models import Count, Q, QuerySet

from events.models import Event, Photo, PhotoState
from visage.tenancy.models import Studio


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
    photos = Photo.objects.filter(event=event).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(state=PhotoState.DONE)),
        failed=Count("id", filter=Q(state=PhotoState.FAILED)),
    )
    counters = {
        "photos_total": photos["total"],
        "photos_done": photos["done"],
        "photos_failed": photos["failed"],
        "photos_pending": photos["total"] - photos["done"] - photos["failed"],
    }
    counters.update(_recognition_counters(event))
    return counters


def _recognition_counters(event: Event) -> dict[str, int]:
    from recognition.selectors import event_face_counters

    return event_face_counters(event=event)
