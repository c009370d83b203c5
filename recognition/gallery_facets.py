"""The studio gallery's face-based facets (events/gallery_facets.py): filter by person or by
"no faces", and the focus that keeps a photo's faces in its square tile. From stored face boxes:
no model runs."""
from django.db.models import Exists, OuterRef, Q

from events.models import Event, Photo, PhotoState
from recognition.ml.facecrop import faces_square, object_position
from recognition.models import Face
from recognition.thumbnails import photo_display_height, photo_display_width


def photos_of_person(event: Event, value: str) -> Q:
    person_id = int(value)
    return Q(Exists(Face.objects.filter(event=event, photo=OuterRef("pk"), person_id=person_id)))


def photos_by_faces(event: Event, value: str) -> Q:
    """`none`: processed and no face found; `some`: at least one face."""
    has_face = Exists(Face.objects.filter(event=event, photo=OuterRef("pk")).exclude(set_aside="not_face"))
    if value == "none":
        return Q(state=PhotoState.DONE) & ~Q(has_face)
    if value == "some":
        return Q(has_face)
    raise ValueError("faces must be 'none' or 'some'")


def photos_focus(photos: list[Photo]) -> dict[int, tuple[float, float]]:
    """Where each photo's square tile looks, from its faces' boxes (one query for the page)."""
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    faces = Face.objects.filter(photo_id__in=[photo.id for photo in photos], set_aside="")  # not "not a face"/ignored
    rows = faces.values_list("photo_id", "x1", "y1", "x2", "y2")
    for photo_id, *box in rows:
        boxes.setdefault(photo_id, []).append(tuple(box))
    focus = {}
    for photo in photos:
        if photo.id in boxes:
            width, height = photo_display_width(photo), photo_display_height(photo)
            focus[photo.id] = object_position(faces_square(boxes[photo.id], width, height), width, height)
    return focus
