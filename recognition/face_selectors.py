"""Reads for fixing faces by hand: a photo's faces with their people, the faces no person holds, and
for each of those the people it looks most like (from stored embeddings: no model runs here)."""
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from events.models import Event, Photo
from recognition.index import event_index
from recognition.models import Face, Person
from recognition.services.faces import face_embeddings
from recognition.services.keys import event_data_key

SUGGESTIONS = 3
SET_ASIDE_FILTERS = ("not_face", "ignored")


@dataclass(frozen=True)
class Suggestion:
    person: Person
    similarity: float  # cosine between the face and the person's mean face


def photo_faces(*, photo: Photo) -> QuerySet[Face]:
    """A photo's faces (set-aside ones too: the viewer shows them greyed, to bring back)."""
    return Face.objects.filter(photo=photo).select_related("person").order_by("x1", "id")


def event_faces(*, event: Event, person: str) -> QuerySet[Face]:
    """Faces by holder: ``none`` (no person, not set aside: the Unassigned page), ``not_face`` or
    ``ignored`` (set aside by hand), or a person's id."""
    faces = Face.objects.filter(event=event).select_related("photo").prefetch_related("rejected_people")
    if person == "none":
        faces = faces.filter(person__isnull=True, set_aside="")
    elif person in SET_ASIDE_FILTERS:
        faces = faces.filter(set_aside=person)
    else:
        faces = faces.filter(person_id=int(person))
    # Faces the detector was sure of and sharp ones first: those are worth naming.
    return faces.order_by("-usable", "-blur", "id")


def face_suggestions(*, event: Event, faces: list[Face], limit: int = SUGGESTIONS) -> dict[int, list[Suggestion]]:
    """face id → the people it looks most like, best first, by the event's search index (usable faces
    of people not hidden). People the face was rejected from, or who already have a face in its
    photo, are never suggested."""
    index = event_index(event=event)
    comparable = [face for face in faces if (face.embedder_name, face.embedder_version) == index.embedder]
    if not comparable or len(index.face_ids) == 0:
        return {face.id: [] for face in faces}
    # Held faces of the event in one query (no id list: the index may hold 100k faces), matched to its rows.
    members = dict(Face.objects.filter(event=event, person__isnull=False, usable=True).values_list("id", "person_id"))
    rows = np.flatnonzero(np.isin(index.face_ids, list(members)))
    labels = np.array([members[int(i)] for i in index.face_ids[rows]], dtype=np.int64)
    people_ids = np.unique(labels)
    if not len(people_ids):
        return {face.id: [] for face in faces}
    centroids = np.stack([index.matrix[rows[labels == pid]].mean(axis=0) for pid in people_ids])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    vectors = face_embeddings(comparable, data_key=event_data_key(event=event), event_id=event.id)
    similarities = vectors @ centroids.T
    people = Person.objects.in_bulk(people_ids.tolist())
    in_photo = _people_in_photos(event, {face.photo_id for face in comparable})
    result = {face.id: [] for face in faces}
    for face, row in zip(comparable, similarities):
        refused = {p.id for p in face.rejected_people.all()} | in_photo.get(face.photo_id, set())
        for column in np.argsort(-row):
            person_id = int(people_ids[column])
            if person_id not in refused:
                result[face.id].append(Suggestion(people[person_id], round(float(row[column]), 3)))
            if len(result[face.id]) == limit:
                break
    return result


def _people_in_photos(event: Event, photo_ids: set[int]) -> dict[int, set[int]]:
    held: dict[int, set[int]] = {}
    for photo_id, person_id in Face.objects.filter(event=event, photo_id__in=photo_ids, person__isnull=False
                                                   ).values_list("photo_id", "person_id"):
        held.setdefault(photo_id, set()).add(person_id)
    return held

