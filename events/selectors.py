"""Reads for events and photos. Every lookup is inside a studio: a foreign id is a 404."""
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from events.counters import events_counters
from events.gallery_facets import photo_filter
from events.models import Event, Photo
from core.tenancy.models import Studio


def event_list(*, studio: Studio | None, user=None) -> QuerySet[Event]:
    """The studio's events, plus (with `user`) the events they organize in other studios."""
    scope = Q(studio=studio) if studio is not None else Q(pk__in=[])
    if user is not None:
        scope |= Q(organizers__user=user)
    return Event.objects.filter(scope).distinct()


# "capture": EXIF capture time, photos without one after the others in upload order; "upload": upload order.
PHOTO_SORTS = {
    "capture": (F("taken_at").asc(nulls_last=True), "id"),
    "upload": ("id",),
}


@dataclass(frozen=True)
class PhotoQuery:
    """The gallery's sort and filters; None means "any". `person` and `faces` are read by the
    filters recognition registers (events/gallery_facets.py)."""

    sort: str = "capture"
    hidden: bool | None = None
    state: str | None = None
    person: int | None = None
    faces: str | None = None  # "none" (processed, no face found) or "some"


def photo_list(*, event: Event, query: PhotoQuery = PhotoQuery()) -> QuerySet[Photo]:
    photos = Photo.objects.filter(event=event)
    if query.hidden is not None:
        photos = photos.filter(hidden=query.hidden)
    if query.state is not None:
        photos = photos.filter(state=query.state)
    for name in ("person", "faces"):
        value = getattr(query, name)
        if value is not None:
            photos = photos.filter(_facet(name)(event, str(value)))
    return photos.order_by(*PHOTO_SORTS[query.sort])


def _facet(name: str):
    found = photo_filter(name)
    if found is None:  # recognition registers these at start-up; a stack without it cannot filter by faces
        raise LookupError(f"No photo filter '{name}' is registered.")
    return found


def photo_ids_in_event(*, event: Event, photo_ids: list[int]) -> list[int]:
    """The ids among `photo_ids` that are this event's photos (others, foreign ones included, drop out)."""
    return list(Photo.objects.filter(event=event, id__in=photo_ids).order_by("id").values_list("id", flat=True))


def event_counters(*, event: Event) -> dict[str, int]:
    """Processing progress, as shown on the event page and in the API."""
    return events_counters([event.id])[event.id]

