"""Reads only the pages need (the API serves the rest). Every lookup is inside one event."""
from django.db.models import OuterRef, QuerySet, Subquery

from events.models import Event, Photo
from recognition.models import Face



def event_cover_photos(*, event_ids: list[int]) -> dict[int, Photo]:
    """Covers of many events in two queries, whatever their number (the dashboard's cards)."""
    covers = (Photo.objects.filter(event_id=OuterRef("pk"), hidden=False).exclude(thumbnail_key="")
              .order_by("id").values("id")[:1])
    cover_ids = Event.objects.filter(id__in=event_ids).annotate(cover=Subquery(covers)).values_list("cover", flat=True)
    photos = Photo.objects.filter(id__in=[photo_id for photo_id in cover_ids if photo_id]).only("id", "event_id")
    return {photo.event_id: photo for photo in photos}


def person_faces(*, event: Event, person_id: int) -> QuerySet[Face]:
    """The faces a person page lets the photographer split off or reject."""
    return (
        Face.objects.filter(event=event, person_id=person_id)
        .select_related("photo")
        .only("id", "probability", "usable", "photo__id", "photo__original_filename")
        .order_by("photo_id", "id")
    )
