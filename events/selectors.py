"""Reads for events and photos. Every lookup is inside a studio: a foreign id is a 404."""
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from events.models import Event, Photo, PhotoState
from visage.tenancy.models import Studio


def event_list(*, studio: Studio) -> QuerySet[Event]:
    return Event.objects.filter(studio=studio)


def event_get(*, studio: Studio, event_id: int) -> Event:
    event = Event.objects.filter(studio=studio, id=event_id).first()
    if event is None:
        raise Http404("No such event.")
    return event


def photo_list(*, studio: Studio, event: Event) -> QuerySet[Photo]:
    return Photo.objects.filter(studio=studio, event=event).order_by("id")


def photo_get(*, studio: Studio, photo_id: int) -> Photo:
    photo = Photo.objects.select_related("event").filter(studio=studio, id=photo_id).first()
    if photo is None:
        raise Http404("No such photo.")
    return photo


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
