"""Hiding faces from guest searches (a guest's "forget me", and the studio's decision on it).

`guest_excluded` only affects what guests find; the studio's people, albums and curation are
untouched, so a request aimed at someone else can be rejected and everything is as it was.
"""
from django.db import transaction

from events.models import Event
from recognition.index_version import index_invalidate
from recognition.models import Face


def faces_set_guest_excluded(*, event: Event, face_ids: list[int], excluded: bool) -> int:
    """Hide (or show again) these faces of the event in guest searches → faces changed."""
    changed = Face.objects.filter(event=event, id__in=face_ids).exclude(guest_excluded=excluded).update(
        guest_excluded=excluded)
    if changed:
        transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return changed


def faces_of_one_person(*, event: Event, face_ids: list[int]) -> tuple[list[int], int | None]:
    """Of `face_ids`, the faces of the one person most of them belong to (plus the ungrouped
    ones, which matched the same selfie) → (face ids, person id or None)."""
    rows = list(Face.objects.filter(event=event, id__in=face_ids).values_list("id", "person_id"))
    counts: dict[int, int] = {}
    for _face, person in rows:
        if person is not None:
            counts[person] = counts.get(person, 0) + 1
    person = max(counts, key=lambda p: (counts[p], -p)) if counts else None
    return sorted(face for face, owner in rows if owner in (person, None)), person
