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


# The People page's views of an event. "main" is what a photographer curates: everyone named or seen
# in two photos or more (a 300-guest wedding's one-photo strangers would bury them); "few" is the rest
# of the visible people, one click away; main + few + hidden = all.
PEOPLE_FILTERS = {
    "main": Q(hidden=False) & (~Q(name="") | Q(photo_count__gte=2)),
    "few": Q(hidden=False, name="", photo_count__lt=2),
    "named": ~Q(name=""),
    "unnamed": Q(name=""),
    "hidden": Q(hidden=True),
    "all": Q(),
}


def person_search(*, event: Event, show: str = "all", q: str = "", ids: list[int] | None = None):
    """person_list narrowed to one of PEOPLE_FILTERS and a name search ("person 12" or "12" also finds
    Person 12, as the cards show unnamed people). Everything is one query per page: the counts are a
    grouped aggregate over the (event, person) index of faces, paged with LIMIT/OFFSET."""
    people = person_list(event=event).filter(PEOPLE_FILTERS[show])
    if ids is not None:
        people = people.filter(id__in=ids)
    q = q.strip()
    if q:
        match = Q(name__icontains=q)
        number = q.lower().removeprefix("person").strip()
        if number.isdigit():
            match |= Q(id=int(number))
        people = people.filter(match)
    return people


def people_filter_counts(*, event: Event) -> dict[str, int]:
    """How many people each of PEOPLE_FILTERS shows, in one query."""
    people = Person.objects.filter(event=event).annotate(photo_count=Count("faces__photo", distinct=True))
    return people.aggregate(**{name: Count("id", filter=condition) for name, condition in PEOPLE_FILTERS.items()})


def person_get(*, event: Event, person_id: int) -> Person:
    person = person_list(event=event).filter(id=person_id).first()
    if person is None:
        raise Http404("No such person in this event.")
    return person


def person_photo_ids(*, person: Person) -> list[int]:
    return sorted(set(Face.objects.filter(person=person).values_list("photo_id", flat=True)))


def people_photo_ids(*, event: Event, person_ids: list[int] | None = None) -> dict[int, list[int]]:
    """person id → sorted photo ids, in one query (of the people named, or everyone)."""
    result: dict[int, set[int]] = {}
    faces = Face.objects.filter(event=event, person__isnull=False)
    if person_ids is not None:
        faces = faces.filter(person_id__in=person_ids)
    for person_id, photo_id in faces.values_list("person_id", "photo_id"):
        result.setdefault(person_id, set()).add(photo_id)
    return {person_id: sorted(ids) for person_id, ids in result.items()}


def face_get(*, event_ids, face_id: int) -> Face:
    face = Face.objects.select_related("photo").filter(id=face_id, event_id__in=event_ids).first()
    if face is None:
        raise Http404("No such face.")
    return face
