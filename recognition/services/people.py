"""Faces → people: incremental assignment, clustering of the unassigned, full re-cluster.

Curated people (any user change) are fixed points: their faces are never moved by the
machine, and they are never renamed, merged or split; new faces may still join them.
"""
from collections import Counter, defaultdict
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from events.models import Event, PhotoState
from recognition.clustering import UNASSIGNED, assign_to_people, cannot_link_from_groups, cluster_faces
from recognition.index_version import index_invalidate
from recognition.ml.calibration import DEFAULT_MATCH_THRESHOLD
from recognition.models import Face, Person
from recognition.services.faces import face_embeddings
from recognition.services.keys import event_data_key


# While photos are still arriving, unassigned faces wait this long for more of the same person
# (clustering a handful at a time would split people); then they are clustered anyway, so people
# form during a live event and one stuck photo never holds the rest back.
CLUSTER_WAIT = timedelta(seconds=30)


def event_people_update(*, event: Event, recluster_unassigned: bool | None = None) -> dict[str, int]:
    """Assign new faces to existing people; cluster what is left once ingest is idle or the
    leftovers have waited CLUSTER_WAIT. ``retry_in`` (seconds) says when to run again, if ever."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(id=event.id).first()  # one people update per event at a time
        faces, matrix = _usable_faces(event)
        free = [i for i, face in enumerate(faces) if face.person_id is None]
        assigned = _assign(faces, matrix, free)
        remaining = [i for i in free if faces[i].person_id is None]
        wait = _cluster_wait(event, [faces[i] for i in remaining]) if recluster_unassigned is None else (
            timedelta(0) if recluster_unassigned else None)
        created = _cluster_into_new_people(event, faces, matrix, remaining) if wait == timedelta(0) else 0
        people_refresh_covers(event=event)
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return {"assigned": assigned, "new_people": created, "unassigned": sum(f.person_id is None for f in faces),
            "retry_in": int(wait.total_seconds()) + 1 if wait else 0}


def _cluster_wait(event: Event, leftovers: list[Face]) -> timedelta:
    """How long the leftovers should still wait for more photos (0: cluster now)."""
    if not leftovers or not event.photos.exclude(state__in=[PhotoState.DONE, PhotoState.FAILED]).exists():
        return timedelta(0)
    waited = timezone.now() - min(face.created_at for face in leftovers)
    return max(timedelta(0), CLUSTER_WAIT - waited)


def event_recluster(*, event: Event) -> dict[str, int]:
    """Re-cluster every face not held by a curated person; uncurated people keep their id
    when most of their faces stay together."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(id=event.id).first()
        faces, matrix = _usable_faces(event)
        loose = [i for i, face in enumerate(faces) if face.person_id is None or not face.person.curated]
        previous = {faces[i].id: faces[i].person_id for i in loose}
        for i in loose:
            faces[i].person_id = None
        assigned = _assign(faces, matrix, loose)
        remaining = [i for i in loose if faces[i].person_id is None]
        created = _cluster_into_new_people(event, faces, matrix, remaining, previous=previous)
        Person.objects.filter(event=event, curated=False, faces__isnull=True).delete()
        people_refresh_covers(event=event)
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return {"assigned_to_curated": assigned, "people": Person.objects.filter(event=event).count(), "new_people": created}


def _usable_faces(event: Event) -> tuple[list[Face], np.ndarray]:
    faces = list(
        Face.objects.filter(event=event, usable=True).select_related("person").order_by("id")
    )
    matrix = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id) if faces else np.zeros((0, 0))
    return faces, matrix


def _assign(faces: list[Face], matrix: np.ndarray, candidates: list[int]) -> int:
    """Join candidate faces to existing people (centroid ≥ threshold), honouring cannot-links:
    never two faces of one photo in a person, never a person the face was rejected from."""
    members = [i for i, face in enumerate(faces) if face.person_id is not None]
    if not candidates or not members:
        return 0
    labels, _ = assign_to_people(
        matrix[candidates], matrix[members], np.array([faces[i].person_id for i in members]),
        threshold=DEFAULT_MATCH_THRESHOLD, photo_ids=[faces[i].photo_id for i in candidates],
    )
    # A forbidden best match leaves the face unassigned (to be clustered), never with a second-best.
    forbidden = set(_forbidden_pairs(faces, candidates, members))
    changed = []
    for position, (i, label) in enumerate(zip(candidates, labels)):
        if label != UNASSIGNED and (position, int(label)) not in forbidden:
            faces[i].person_id = int(label)
            changed.append(faces[i])
    Face.objects.bulk_update(changed, ["person"])
    return len(changed)


def _forbidden_pairs(faces: list[Face], candidates: list[int], members: list[int]) -> list[tuple[int, int]]:
    """(candidate position, person id) pairs that would break a cannot-link."""
    people_in_photo: dict[int, set[int]] = defaultdict(set)
    for i in members:
        people_in_photo[faces[i].photo_id].add(faces[i].person_id)
    rejected = defaultdict(set)
    for face_id, person_id in Face.rejected_people.through.objects.filter(
        face_id__in=[faces[i].id for i in candidates]
    ).values_list("face_id", "person_id"):
        rejected[face_id].add(person_id)
    return [
        (position, person_id)
        for position, i in enumerate(candidates)
        for person_id in people_in_photo[faces[i].photo_id] | rejected[faces[i].id]
    ]


def _cluster_into_new_people(event: Event, faces: list[Face], matrix: np.ndarray, positions: list[int],
                             previous: dict[int, int | None] | None = None) -> int:
    if not positions:
        return 0
    labels = cluster_faces(
        matrix[positions], threshold=DEFAULT_MATCH_THRESHOLD,
        cannot_link=cannot_link_from_groups([faces[i].photo_id for i in positions]),
    )
    groups: dict[int, list[Face]] = defaultdict(list)
    for i, label in zip(positions, labels):
        if label != UNASSIGNED:
            groups[int(label)].append(faces[i])
    created, reused = 0, set()
    for members in groups.values():
        person = _reusable_person(members, previous or {}, reused) or Person(studio_id=event.studio_id, event=event)
        if person.pk is None:
            person.save()
            created += 1
        reused.add(person.pk)
        for face in members:
            face.person_id = person.pk
        Face.objects.bulk_update(members, ["person"])
    return created


def _reusable_person(members: list[Face], previous: dict[int, int | None], taken: set[int]) -> Person | None:
    """The uncurated person that held most of these faces before a re-cluster keeps its id."""
    votes = Counter(previous.get(face.id) for face in members if previous.get(face.id) not in (None, *taken))
    if not votes:
        return None
    person_id, count = votes.most_common(1)[0]
    if count * 2 < len(members):
        return None
    return Person.objects.filter(id=person_id, curated=False).first()


def people_refresh_covers(*, event: Event) -> None:
    """Cover = the person's sharpest large face; kept if still theirs."""
    stale = Person.objects.filter(event=event).filter(Q(cover_face__isnull=True) | ~Q(cover_face__person=F("id")))
    for person in stale:
        faces = list(person.faces.filter(usable=True).only("id", "x1", "y1", "x2", "y2", "blur"))
        best = max(faces, key=lambda f: (min(f.x2 - f.x1, f.y2 - f.y1) >= 80, f.blur), default=None)
        Person.objects.filter(id=person.id).update(cover_face=best)
