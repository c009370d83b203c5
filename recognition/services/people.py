"""Faces → people: incremental assignment, clustering of the unassigned, a merge stage over
people's mean faces, full re-cluster, and "same person?" suggestions.

Every threshold is the event's own (recognition.models.EventCalibration: the embedder its faces
were made with), and only faces of that embedder are read. Small faces (below the quality gate's
size but otherwise sound) may join an existing person with the stricter small-face threshold; they
never start a person. Curated people (any user change) are fixed points: their faces are never
moved by the machine, and they are never renamed, merged or split; new faces may still join them.
"""
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from events.models import Event, PhotoState
from recognition.clustering import UNASSIGNED, assign_to_people, cannot_link_from_groups, cluster_faces
from recognition.clustering.merge import event_centre, merge_clusters, merge_suggestions
from recognition.index_version import index_invalidate
from recognition.ml.calibration import Calibration
from recognition.ml.quality import joins_known_people_only
from recognition.models import DismissedPair, Face, Person
from recognition.services.calibration import event_calibration, event_embedder_filter
from recognition.services.faces import face_embeddings
from recognition.services.keys import event_data_key
from recognition.hooks import PeopleChanged, people_changed


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
        before = [face.person_id for face in faces]
        calibration = event_calibration(event=event)[1]
        free = [i for i, face in enumerate(faces) if face.person_id is None]
        assigned = _assign(faces, matrix, free, calibration)
        remaining = [i for i in free if faces[i].person_id is None and faces[i].usable]
        wait = _cluster_wait(event, [faces[i] for i in remaining]) if recluster_unassigned is None else (
            timedelta(0) if recluster_unassigned else None)
        created = merged = 0
        if wait == timedelta(0):
            created = _cluster_into_new_people(event, faces, matrix, remaining, calibration)
            merged = _merge_people(event, faces, matrix, calibration)
        people_refresh_covers(event=event)
        _announce(event, faces, before)
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return {"assigned": assigned, "new_people": created, "merged_people": merged,
            "unassigned": sum(f.person_id is None and f.usable for f in faces),
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
        before = [face.person_id for face in faces]
        calibration = event_calibration(event=event)[1]
        loose = [i for i, face in enumerate(faces) if face.person_id is None or not face.person.curated]
        previous = {faces[i].id: faces[i].person_id for i in loose}
        for i in loose:
            faces[i].person_id = None
        assigned = _assign(faces, matrix, [i for i in loose if faces[i].usable], calibration)
        remaining = [i for i in loose if faces[i].person_id is None and faces[i].usable]
        created = _cluster_into_new_people(event, faces, matrix, remaining, calibration, previous=previous)
        _merge_people(event, faces, matrix, calibration)
        # Small faces last, so they join the people just formed.
        _assign(faces, matrix, [i for i in loose if not faces[i].usable], calibration)
        Face.objects.bulk_update([faces[i] for i in loose if faces[i].person_id is None], ["person"])
        Person.objects.filter(event=event, curated=False, faces__isnull=True).delete()
        people_refresh_covers(event=event)
        _announce(event, faces, before)
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return {"assigned_to_curated": assigned, "people": Person.objects.filter(event=event).count(), "new_people": created}


def _announce(event: Event, faces: list[Face], before: list[int | None]) -> None:
    """One people_changed per update: every person that gained or lost a face."""
    touched = {person for face, old in zip(faces, before) if face.person_id != old for person in (face.person_id, old)}
    if touched - {None}:
        people_changed.send(PeopleChanged(event_id=event.id, person_ids=tuple(sorted(touched - {None}))))


def _usable_faces(event: Event) -> tuple[list[Face], np.ndarray]:
    """Usable faces and small-but-sound ones (see joins_known_people_only) of the event's embedder;
    faces set aside by hand ("not a face", "ignored") are never grouped."""
    faces = [
        face for face in Face.objects.filter(event=event, set_aside="", **event_embedder_filter(event=event))
        .select_related("person").order_by("id")
        if face.usable or joins_known_people_only(face.quality_reasons)
    ]
    matrix = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id) if faces else np.zeros((0, 0))
    return faces, matrix


@dataclass(frozen=True)
class _FaceRow:
    """What the suggestions read of a face: no model instance (at 2,000 people, ~7,000 Face and
    Person objects were ~1 s of each People page load)."""

    id: int
    uid: uuid.UUID
    photo_id: int
    person_id: int | None
    usable: bool
    embedding_ciphertext: bytes


def _usable_face_rows(event: Event) -> tuple[list[_FaceRow], np.ndarray]:
    """The faces `_usable_faces` reads, in the same order, as plain rows (read-only callers)."""
    faces = [
        _FaceRow(face_id, uid, photo_id, person_id, usable, ciphertext)
        for face_id, uid, photo_id, person_id, usable, reasons, ciphertext
        in Face.objects.filter(event=event, set_aside="", **event_embedder_filter(event=event)).order_by("id")
        .values_list("id", "uid", "photo_id", "person_id", "usable", "quality_reasons", "embedding_ciphertext")
        if usable or joins_known_people_only(reasons)
    ]
    matrix = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id) if faces else np.zeros((0, 0))
    return faces, matrix


def _assign(faces: list[Face], matrix: np.ndarray, candidates: list[int], calibration: Calibration) -> int:
    """Join candidate faces to existing people (centroid ≥ threshold; small faces: the stricter
    small-face threshold), honouring cannot-links: never two faces of one photo in a person,
    never a person the face was rejected from. Only usable faces shape the centroids."""
    members = [i for i, face in enumerate(faces) if face.person_id is not None and face.usable]
    if not candidates or not members:
        return 0
    labels, scores = assign_to_people(
        matrix[candidates], matrix[members], np.array([faces[i].person_id for i in members]),
        threshold=calibration.threshold, photo_ids=[faces[i].photo_id for i in candidates],
    )
    small = np.array([not faces[i].usable for i in candidates])
    labels = np.where(small & (scores < calibration.small_face_threshold), UNASSIGNED, labels)
    # A forbidden best match leaves the face unassigned (to be clustered), never with a second-best.
    assigned = [i for i, face in enumerate(faces) if face.person_id is not None]
    forbidden = set(_forbidden_pairs(faces, candidates, assigned))
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
                             calibration: Calibration, previous: dict[int, int | None] | None = None) -> int:
    if not positions:
        return 0
    labels = cluster_faces(
        matrix[positions], threshold=calibration.cluster_threshold,
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


def _person_labels(faces: list[Face], people: set[int] | None = None) -> np.ndarray:
    """Each face's person id (-1 when unassigned, or not among ``people`` when given)."""
    return np.array([f.person_id if f.person_id and (people is None or f.person_id in people) else UNASSIGNED
                     for f in faces], dtype=np.int64)


def _people_cannot_link(faces: list[Face], event: Event) -> np.ndarray:
    """Face pairs whose people must stay apart: faces of one photo, a face with a face of a person it
    was rejected from ("not this person"), and one face each of two people dismissed as "not the
    same person" (DismissedPair). Both reads are by event, not by thousands of ids in an IN list
    (at 2,000 people the lists cost ~0.4 s per call); rows outside `faces` drop out here."""
    pairs = cannot_link_from_groups([f.photo_id for f in faces]).reshape(-1, 2).tolist()
    one_face_of = {f.person_id: i for i, f in enumerate(faces) if f.person_id}
    position = {f.id: i for i, f in enumerate(faces)}
    for face_id, person_id in Face.rejected_people.through.objects.filter(
        face__event=event
    ).values_list("face_id", "person_id"):
        if face_id in position and person_id in one_face_of and one_face_of[person_id] != position[face_id]:
            pairs.append((position[face_id], one_face_of[person_id]))
    for a, b in DismissedPair.objects.filter(event=event).order_by("id").values_list("person_a", "person_b"):
        if a in one_face_of and b in one_face_of:
            pairs.append((one_face_of[a], one_face_of[b]))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _merge_people(event: Event, faces: list[Face], matrix: np.ndarray, calibration: Calibration) -> int:
    """Second stage: merge uncurated people whose mean faces (centred on the event's) agree at the
    event's merge threshold; the larger person keeps its id. Returns how many people went."""
    uncurated = set(Person.objects.filter(event=event, curated=False).values_list("id", flat=True))
    labels = _person_labels(faces, uncurated)
    usable = np.array([f.usable for f in faces], dtype=bool)
    if len(set(labels[labels != UNASSIGNED].tolist())) < 2 or not usable.any():
        return 0
    merged = merge_clusters(matrix, labels, threshold=calibration.merge_threshold,
                            cannot_link=_people_cannot_link(faces, event), centre=event_centre(matrix[usable]))
    moved = [faces[i] for i in np.flatnonzero(merged != labels)]
    for i in np.flatnonzero(merged != labels):
        faces[i].person_id = int(merged[i])
    Face.objects.bulk_update(moved, ["person"])
    gone = {int(label) for label in labels[merged != labels]}
    Person.objects.filter(id__in=gone, curated=False, faces__isnull=True).delete()
    return len(gone)


def event_merge_suggestions(*, event: Event, limit: int = 20) -> list[tuple[int, int, float]]:
    """(person id, person id, similarity) pairs that may be one person, most similar first: their
    centred mean faces clear the event's suggest threshold and nothing says they differ (one photo,
    a rejected face, a dismissed suggestion)."""
    faces, matrix = _usable_face_rows(event)
    labels = _person_labels(faces)
    usable = np.array([f.usable for f in faces], dtype=bool)
    if len(set(labels[labels != UNASSIGNED].tolist())) < 2 or not usable.any():
        return []
    calibration = event_calibration(event=event)[1]
    return merge_suggestions(matrix, labels, threshold=calibration.suggest_threshold,
                             cannot_link=_people_cannot_link(faces, event), limit=limit,
                             centre=event_centre(matrix[usable]))


def people_refresh_covers(*, event: Event) -> None:
    """Cover = the person's sharpest large face; kept if still theirs."""
    stale = Person.objects.filter(event=event).filter(Q(cover_face__isnull=True) | ~Q(cover_face__person=F("id")))
    for person in stale:
        faces = list(person.faces.filter(usable=True).only("id", "x1", "y1", "x2", "y2", "blur"))
        best = max(faces, key=lambda f: (min(f.x2 - f.x1, f.y2 - f.y1) >= 80, f.blur), default=None)
        Person.objects.filter(id=person.id).update(cover_face=best)
