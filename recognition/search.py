"""Find the photos a face (a guest's selfie) appears in: cosine top-k over the event index."""
import time
from dataclasses import dataclass

import numpy as np

from events.models import Event
from recognition.index import IDS_PER_QUERY, event_index, searchable_faces
from recognition.index_version import index_faces_added
from recognition.models import Face, SearchLog
from recognition.services.calibration import event_calibration


@dataclass(frozen=True)
class SearchMatch:
    photo_id: int
    face_id: int
    similarity: float
    confidence: float  # percent on the guest match scale (Calibration.match_confidence; its band: confidence_band)


def event_search(
    *, event: Event, embedding: np.ndarray, threshold: float | None = None, limit: int = 500,
    exclude_face_ids: frozenset[int] = frozenset(),
) -> list[SearchMatch]:
    """Photos with a face at or above `threshold`, best first, one match (the best face) per photo.

    The default threshold is the event's search threshold (recognition.ml.calibration: stricter
    than grouping, so a stranger's photo is practically never shown); `embedding` must come from
    the event's embedder (services.calibration.event_pipeline).
    """
    started = time.perf_counter()
    row, calibration = event_calibration(event=event)
    threshold = calibration.search_threshold if threshold is None else threshold
    expected = (row.embedder_name, row.embedder_version) if row else None
    matches = _search(event, embedding, threshold, limit, exclude_face_ids, calibration.match_confidence, expected,
                      calibration.search_person_threshold)
    SearchLog.objects.create(
        studio_id=event.studio_id, event=event, search_ms=(time.perf_counter() - started) * 1000, matches=len(matches)
    )
    return matches


def _search(event: Event, embedding: np.ndarray, threshold: float, limit: int, exclude_face_ids,
            confidence, expected_embedder, person_threshold: float) -> list[SearchMatch]:
    index = event_index(event=event)
    if len(index.face_ids) == 0 or (index.embedder and expected_embedder and index.embedder != expected_embedder):
        return []  # a cached index of the old model while the event is re-embedded: never mix
    query = np.asarray(embedding, np.float32)
    similarities = index.matrix @ query
    hits = _excluded_out(index.face_ids, np.flatnonzero(similarities >= threshold), exclude_face_ids)
    hits = hits[_person_agrees(_people_of(index, hits), index.face_ids[hits], query, person_threshold)]
    return _best_per_photo(index.photo_ids, index.face_ids, similarities, hits, confidence)[:limit]


def _excluded_out(face_ids: np.ndarray, hits: np.ndarray, exclude_face_ids) -> np.ndarray:
    return hits[~np.isin(face_ids[hits], list(exclude_face_ids))] if exclude_face_ids else hits


def _best_per_photo(photo_ids: np.ndarray, face_ids: np.ndarray, similarities: np.ndarray, hits: np.ndarray,
                    confidence) -> list[SearchMatch]:
    """One match per photo (its best face), best first; the arrays are aligned, `hits` indexes them."""
    hits = hits[np.argsort(-similarities[hits], kind="stable")]
    _, first = np.unique(photo_ids[hits], return_index=True)
    return [
        SearchMatch(int(photo_ids[i]), int(face_ids[i]), float(similarities[i]), confidence(float(similarities[i])))
        for i in hits[np.sort(first)]
    ]


def new_photos_search(
    *, event: Event, embeddings: list[np.ndarray], photo_ids: list[int],
    exclude_face_ids: list[frozenset[int]] | None = None,
) -> list[list[SearchMatch]]:
    """For each embedding (a guest's kept template), the matches among `photo_ids` only, by the
    rules of event_search (the event's calibrated search threshold, person agreement, hidden
    photos and people and forgotten faces left out): "tell me when there are new photos of me".

    The index is brought up to date with the photos' faces first: this runs right after their
    batch is stored, possibly before the index version is bumped for them. The people of the
    batch's faces are read once for every embedding.
    """
    row, calibration = event_calibration(event=event)
    expected = (row.embedder_name, row.embedder_version) if row else None
    index = event_index(event=event)
    missing = set(searchable_faces(event=event).filter(photo_id__in=photo_ids).values_list("id", flat=True))
    missing -= set(index.face_ids.tolist())
    if missing:
        index_faces_added(event_id=event.id, face_ids=sorted(missing))
        index = event_index(event=event)
    results: list[list[SearchMatch]] = [[] for _ in embeddings]
    if len(index.face_ids) == 0 or (index.embedder and expected and index.embedder != expected):
        return results
    in_batch = np.flatnonzero(np.isin(index.photo_ids, photo_ids))
    comparable = [k for k, e in enumerate(embeddings) if np.shape(e) == (index.matrix.shape[1],)]  # else another model
    if not len(in_batch) or not comparable:
        return results
    people = _people_of(index, in_batch)
    face_ids, photo_of = index.face_ids[in_batch], index.photo_ids[in_batch]
    queries = np.stack([np.asarray(embeddings[k], np.float32) for k in comparable])
    similarities = index.matrix[in_batch] @ queries.T  # (batch faces, templates): one product for every guest
    for column, k in enumerate(comparable):
        column_similarities = similarities[:, column]
        hits = np.flatnonzero(column_similarities >= calibration.search_threshold)
        hits = _excluded_out(face_ids, hits, exclude_face_ids[k] if exclude_face_ids else frozenset())
        hits = hits[_person_agrees(people, face_ids[hits], queries[column], calibration.search_person_threshold)]
        results[k] = _best_per_photo(photo_of, face_ids, column_similarities, hits, calibration.match_confidence)
    return results


@dataclass(frozen=True)
class _People:
    person_of: dict[int, int]  # face id -> person id, for the candidate faces that have one
    means: dict[int, np.ndarray | None]  # person id -> mean of its searchable faces (None: fewer than 2)


def _people_of(index, rows: np.ndarray) -> _People:
    """The people of the faces at `rows` and their mean faces over the index (two queries)."""
    if not len(rows):
        return _People({}, {})
    person_of = dict(_values(Face.objects.filter(person__isnull=False), "id", index.face_ids[rows].tolist()))
    members = dict(_values(Face.objects.all(), "person_id", sorted(set(person_of.values()))))
    rows_of: dict[int, list[int]] = {}
    for row in np.flatnonzero(np.isin(index.face_ids, np.fromiter(members, np.int64, len(members)))):
        rows_of.setdefault(members[int(index.face_ids[row])], []).append(int(row))
    means = {person_id: index.matrix[found].mean(axis=0) if len(found) >= 2 else None
             for person_id, found in rows_of.items()}
    return _People(person_of, means)


def _person_agrees(people: _People, face_ids: np.ndarray, embedding: np.ndarray, threshold: float) -> np.ndarray:
    """Per face: does the selfie also match the mean face of the person the face belongs to?

    Faces without a person, and people with one searchable face, have nothing more to agree with.
    """
    agrees = {person_id: mean is None or float(mean @ embedding) / float(np.linalg.norm(mean)) >= threshold
              for person_id, mean in people.means.items()}
    return np.array([agrees.get(people.person_of.get(int(face_id)), True) for face_id in face_ids], dtype=bool)


def _values(queryset, field: str, values: list[int]) -> list[tuple[int, int]]:
    """(face id, person id) of the faces whose `field` is in `values`, in chunks SQLite accepts."""
    found = []
    for start in range(0, len(values), IDS_PER_QUERY):
        found += queryset.filter(**{f"{field}__in": values[start:start + IDS_PER_QUERY]}).values_list("id", "person_id")
    return found
