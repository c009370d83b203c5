"""Undoing curation changes (services.curation records them): a named one, or a page's latest.

A change can be undone while no later change still in force touched the same people or faces: undoing
it under a later one would silently rewrite that one too (a rename of the person a merge made, a
split of the faces it moved), so it is refused and the message names the change to undo first.
"""
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from core.errors import DomainError, InvalidRequest
from events.models import Event
from recognition.hooks import PeopleChanged, people_changed
from recognition.index_version import index_invalidate
from recognition.models import CurationAction, Face, Person
from recognition.services.face_undo import face_edits_revert
from recognition.services.people import people_refresh_covers


class NothingToUndo(InvalidRequest):
    message = "There is nothing to undo."


class UndoBlocked(DomainError):
    status, code = 409, "undo_blocked"
    message = "A later change depends on this one: undo that first."


def _touched(action: CurationAction) -> tuple[set[int], set[int]]:
    """(person ids, face ids) a change wrote."""
    people = {row["id"] for row in action.before.get("people", [])} | set(action.created_people)
    faces = {int(face_id) for face_id in action.before.get("faces", {})}
    faces |= {int(face_id) for face_id in action.before.get("set_aside", {})}  # faces set aside or brought back by hand
    return people, faces | set(action.before.get("added_faces", []))  # faces drawn by hand


def curation_blocker(*, action: CurationAction) -> CurationAction | None:
    """The earliest later change, not undone, that touched what ``action`` touched (None: it can be undone)."""
    people, faces = _touched(action)
    later = CurationAction.objects.filter(event_id=action.event_id, id__gt=action.id, undone_at__isnull=True).order_by("id")
    for other in later.only("id", "kind", "label", "before", "created_people"):
        other_people, other_faces = _touched(other)
        if people & other_people or faces & other_faces:
            return other
    return None


def curation_undoable(*, event: Event, scope: str) -> CurationAction | None:
    """What a page's Undo button would undo: the page's latest change still in force."""
    return CurationAction.objects.filter(event=event, scope=scope, undone_at__isnull=True).only(
        "id", "kind", "label", "scope", "created_at").first()


def _describe(action: CurationAction) -> str:
    return action.label or action.kind


@transaction.atomic
def curation_undo(*, event: Event, action_id: int | None = None, scope: str | None = None) -> CurationAction:
    """Undo change ``action_id``, else the latest of ``scope`` (a page), else the event's latest."""
    actions = CurationAction.objects.select_for_update().filter(event=event)
    if action_id is not None:
        action = actions.filter(id=action_id).first()
        if action is None:
            raise Http404("No such change in this event.")
        if action.undone_at is not None:
            raise NothingToUndo(f"“{_describe(action)}” was already undone.")
    else:
        action = actions.filter(undone_at__isnull=True, **({"scope": scope} if scope else {})).first()
        if action is None:
            raise NothingToUndo("There is nothing to undo on this page." if scope else None)
    blocker = curation_blocker(action=action)
    if blocker is not None:
        raise UndoBlocked(f"“{_describe(action)}” can't be undone: a later change depends on it "
                          f"(“{_describe(blocker)}”). Undo that first.",
                          details={"action_id": action.id, "blocked_by": blocker.id})
    _restore(event, action)
    action.undone_at = timezone.now()
    action.save(update_fields=["undone_at"])
    people_changed.send(PeopleChanged(event_id=event.id,
                                      person_ids=tuple(row["id"] for row in action.before["people"])))
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return action


def _restore(event: Event, action: CurationAction) -> None:
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
