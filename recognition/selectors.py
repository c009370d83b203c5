"""Reads for faces, people and event analytics."""
from django.db.models import Count, Q
from django.http import Http404

from events.models import Event
from recognition.models import Face, Person


def events_face_counters(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Face and people counters for many events in two queries (events.counters source)."""
    faces = {row["event_id"]: row for row in Face.objects.filter(event_id__in=event_ids).order_by().values("event_id").annotate(
        total=Count("id"), usable=Count("id", filter=Q(usable=True)), assigned=Count("id", filter=Q(person__isnull=False)))}
    people = dict(Person.objects.filter(event_id__in=event_ids).order_by().values("event_id").annotate(n=Count("id"))
                  .values_list("event_id", "n"))
    empty = {"total": 0, "usable": 0, "assigned": 0}
    return {
        event_id: {
            "faces": faces.get(event_id, empty)["total"], "faces_usable": faces.get(event_id, empty)["usable"],
            "faces_assigned": faces.get(event_id, empty)["assigned"], "people": people.get(event_id, 0),
        }
        for event_id in event_ids
    }


def person_list(*, event: Event):
    """People with their face and photo counts, most photographed first."""
    return (
        Person.objects.filter(event=event)
        .annotate(face_count=Count("faces", distinct=True), photo_count=Count("faces__photo", distinct=True))
        .order_by("-photo_count", "id")
    )


def person_get(*, event: Event, person_id: int) -> Person:
    person = person_list(event=event).filter(id=person_id).first()
    if person is None:
        raise Http404("No such person in this event.")
    return person


def person_photo_ids(*, person: Person) -> list[int]:
    return sorted(set(Face.objects.filter(person=person).values_list("photo_id", flat=True)))


def people_photo_ids(*, event: Event) -> dict[int, list[int]]:
    """person id → sorted photo ids, in one query."""
    result: dict[int, set[int]] = {}
    for person_id, photo_id in Face.objects.filter(event=event, person__isnull=False).values_list("person_id", "photo_id"):
        result.setdefault(person_id, set()).add(photo_id)
    return {person_id: sorted(ids) for person_id, ids in result.items()}


def face_get(*, event_ids, face_id: int) -> Face:
    face = Face.objects.select_related("photo").filter(id=face_id, event_id__in=event_ids).first()
    if face is None:
        raise Http404("No such face.")
    return face
