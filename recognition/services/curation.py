"""User corrections to people. Each marks the people it touches as curated (so re-clustering
leaves them alone), locks the rows it changes, and records what it replaced for undo."""
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from core.errors import InvalidRequest
from events.models import Event
from recognition.index_version import index_invalidate
from recognition.models import CurationAction, Face, Person
from recognition.services.face_undo import face_edits_revert
from recognition.services.people import people_refresh_covers
from recognition.hooks import PeopleChanged, people_changed

NAME_MAX = 100


class CurationError(InvalidRequest):
    """The request cannot be applied as asked; the message says why (a 400 `invalid`, from the one
    exception handler, core.api_errors)."""


def _locked_people(event: Event, person_ids: list[int]) -> list[Person]:
    """Row locks in id order (no deadlocks between two merges of the same people)."""
    people = list(Person.objects.select_for_update().filter(event=event, id__in=person_ids).order_by("id"))
    if len(people) != len(set(person_ids)):
        raise Http404("No such person in this event.")
    return people


def _snapshot(event: Event, people: list[Person], face_ids: list[int] | None = None) -> dict:
    faces = Face.objects.filter(event=event, person__in=people)
    if face_ids is not None:
        faces = Face.objects.filter(event=event, id__in=face_ids)
    return {
        "people": [
            {"id": p.id, "name": p.name, "hidden": p.hidden, "curated": p.curated, "cover_face_id": p.cover_face_id}
            for p in people
        ],
        "faces": {str(face_id): person_id for face_id, person_id in faces.values_list("id", "person_id")},
        "rejections": [],
    }


def _record(event: Event, user, kind: str, before: dict, created_people: list[int] = ()) -> None:
    CurationAction.objects.create(
        studio_id=event.studio_id, event=event, user=user, kind=kind, before=before, created_people=list(created_people)
    )
    people_changed.send(PeopleChanged(event_id=event.id,
                                      person_ids=(*[row["id"] for row in before["people"]], *created_people)))
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))


@transaction.atomic
def person_update(*, event: Event, person_id: int, user=None, name: str | None = None, hidden: bool | None = None) -> Person:
    (person,) = _locked_people(event, [person_id])
    before = _snapshot(event, [person], face_ids=[])
    if name is not None:
        name = name.strip()
        if not name or len(name) > NAME_MAX:
            raise CurationError(f"A name must be 1 to {NAME_MAX} characters.")
        person.name = name
    if hidden is not None:
        person.hidden = hidden
    person.curated = True
    person.save(update_fields=["name", "hidden", "curated", "updated_at"])
    _record(event, user, "rename" if name is not None else "hide", before)
    return person


@transaction.atomic
def person_merge(*, event: Event, person_id: int, other_ids: list[int], user=None) -> Person:
    """Move the others' faces into the person and delete the others."""
    other_ids = [i for i in dict.fromkeys(other_ids) if i != person_id]
    if not other_ids:
        raise CurationError("Name at least one other person to merge.")
    people = _locked_people(event, [person_id, *other_ids])
    target = next(p for p in people if p.id == person_id)
    _refuse_shared_photos(event, people)
    before = _snapshot(event, people)
    Face.objects.filter(event=event, person_id__in=other_ids).update(person=target)
    before["rejections"], before["restore_rejections"] = _move_rejections(other_ids, target)
    if not target.name:
        target.name = next((p.name for p in people if p.name), "")
    target.curated = True
    target.hidden = target.hidden or any(p.hidden for p in people)
    target.save(update_fields=["name", "curated", "hidden", "updated_at"])
    Person.objects.filter(id__in=other_ids).delete()
    people_refresh_covers(event=event)
    _record(event, user, "merge", before)
    return target


def _move_rejections(other_ids: list[int], target: Person) -> tuple[list, list]:
    """A face rejected from a merged-away person stays rejected from the merged person."""
    through = Face.rejected_people.through
    old = [list(row) for row in through.objects.filter(person_id__in=other_ids).values_list("face_id", "person_id")]
    existing = set(through.objects.filter(person=target).values_list("face_id", flat=True))
    added = sorted({face_id for face_id, _ in old} - existing)
    through.objects.bulk_create([through(face_id=face_id, person_id=target.id) for face_id in added])
    return [[face_id, target.id] for face_id in added], old


def _refuse_shared_photos(event: Event, people: list[Person]) -> None:
    """Two faces in one photo are two people: such a merge is refused (reject the wrong face first)."""
    rows = Face.objects.filter(event=event, person__in=people).values_list("photo_id", "person_id")
    seen: dict[int, int] = {}
    for photo_id, person_id in rows:
        if seen.setdefault(photo_id, person_id) != person_id:
            raise CurationError(
                f"These people appear together in photo {photo_id}, so they are different people. "
                "Use “not this person” on the wrong face first."
            )


def _faces_of(event: Event, person: Person, face_ids: list[int]) -> list[int]:
    face_ids = list(dict.fromkeys(face_ids))
    if not face_ids:
        raise CurationError("Name at least one face.")
    found = set(Face.objects.filter(event=event, person=person, id__in=face_ids).values_list("id", flat=True))
    missing = [i for i in face_ids if i not in found]
    if missing:
        raise CurationError(f"Face(s) {missing} are not in {person}.")
    return face_ids


@transaction.atomic
def person_split(*, event: Event, person_id: int, face_ids: list[int], user=None) -> Person:
    (person,) = _locked_people(event, [person_id])
    face_ids = _faces_of(event, person, face_ids)
    before = _snapshot(event, [person])
    new_person = Person.objects.create(studio_id=event.studio_id, event=event, curated=True)
    Face.objects.filter(id__in=face_ids).update(person=new_person)
    Person.objects.filter(id=person.id).update(curated=True)
    people_refresh_covers(event=event)
    _record(event, user, "split", before, created_people=[new_person.id])
    return new_person


@transaction.atomic
def person_reject_faces(*, event: Event, person_id: int, face_ids: list[int], user=None) -> Person:
    """"Not this person": the faces leave and are remembered as never belonging to them."""
    (person,) = _locked_people(event, [person_id])
    face_ids = _faces_of(event, person, face_ids)
    before = _snapshot(event, [person])
    before["rejections"] = [[face_id, person.id] for face_id in face_ids]
    Face.objects.filter(id__in=face_ids).update(person=None)
    Face.rejected_people.through.objects.bulk_create(
        [Face.rejected_people.through(face_id=face_id, person_id=person.id) for face_id in face_ids], ignore_conflicts=True
    )
    Person.objects.filter(id=person.id).update(curated=True)
    people_refresh_covers(event=event)
    _record(event, user, "reject", before)
    return person


@transaction.atomic
def curation_undo(*, event: Event) -> CurationAction:
    action = CurationAction.objects.select_for_update().filter(event=event, undone_at__isnull=True).first()
    if action is None:
        raise CurationError("There is nothing to undo.")
    for row in action.before["people"]:
        Person.objects.update_or_create(
            id=row["id"], defaults={"studio_id": event.studio_id, "event": event, "name": row["name"],
                                    "hidden": row["hidden"], "curated": row["curated"]},
        )
    for face_id, person_id in action.before["faces"].items():
        Face.objects.filter(id=int(face_id), event=event).update(person_id=person_id)
    through = Face.rejected_people.through
    for face_id, person_id in action.before["rejections"]:
        through.objects.filter(face_id=face_id, person_id=person_id).delete()
    through.objects.bulk_create(
        [through(face_id=f, person_id=p) for f, p in action.before.get("restore_rejections", [])], ignore_conflicts=True
    )
    face_edits_revert(event=event, before=action.before)  # faces drawn or set aside by hand (services.face_edits)
    Person.objects.filter(id__in=action.created_people, event=event).delete()
    for row in action.before["people"]:
        Person.objects.filter(id=row["id"]).update(cover_face_id=row["cover_face_id"])
    people_refresh_covers(event=event)
    action.undone_at = timezone.now()
    action.save(update_fields=["undone_at"])
    people_changed.send(PeopleChanged(event_id=event.id,
                                      person_ids=tuple(row["id"] for row in action.before["people"])))
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return action
