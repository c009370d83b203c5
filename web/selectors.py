"""Reads only the pages need (the API serves the rest). Every lookup is inside one event."""
from django.db.models import QuerySet

from events.models import Event, Photo
from events.selectors import photo_list
from recognition.models import Face


def event_cover_photo(*, event: Event) -> Photo | None:
    """The first processed, guest-visible photo: the event card's cover on the dashboard."""
    return photo_list(event=event).exclude(thumbnail_key="").filter(hidden=False).first()


def person_faces(*, event: Event, person_id: int) -> QuerySet[Face]:
    """The faces a person page lets the photographer split off or reject."""
    return (
        Face.objects.filter(event=event, person_id=person_id)
        .select_related("photo")
        .only("id", "probability", "usable", "photo__id", "photo__original_filename")
        .order_by("photo_id", "id")
    )
