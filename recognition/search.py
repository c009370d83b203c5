"""Find the photos a face (a guest's selfie) appears in: cosine top-k over the event index."""
import time
from dataclasses import dataclass

import numpy as np

from events.models import Event
from recognition.index import event_index
from recognition.ml.calibration import DEFAULT_MATCH_THRESHOLD, confidence
from recognition.models import SearchLog


@dataclass(frozen=True)
class SearchMatch:
    photo_id: int
    face_id: int
    similarity: float
    confidence: float  # percent, monotonic in similarity (recognition.ml.calibration)


def event_search(
    *, event: Event, embedding: np.ndarray, threshold: float = DEFAULT_MATCH_THRESHOLD, limit: int = 500,
    exclude_face_ids: frozenset[int] = frozenset(),
) -> list[SearchMatch]:
    """Photos with a face at or above `threshold`, best first, one match (the best face) per photo."""
    started = time.perf_counter()
    matches = _search(event, embedding, threshold, limit, exclude_face_ids)
    SearchLog.objects.create(
        studio_id=event.studio_id, event=event, search_ms=(time.perf_counter() - started) * 1000, matches=len(matches)
    )
    return matches


def _search(event: Event, embedding: np.ndarray, threshold: float, limit: int, exclude_face_ids) -> list[SearchMatch]:
    index = event_index(event=event)
    if len(index.face_ids) == 0:
        return []
    similarities = index.matrix @ np.asarray(embedding, np.float32)
    hits = np.flatnonzero(similarities >= threshold)
    if exclude_face_ids:
        hits = hits[~np.isin(index.face_ids[hits], list(exclude_face_ids))]
    hits = hits[np.argsort(-similarities[hits], kind="stable")]
    _, first = np.unique(index.photo_ids[hits], return_index=True)  # best face of each photo
    best = hits[np.sort(first)][:limit]
    return [
        SearchMatch(int(index.photo_ids[i]), int(index.face_ids[i]), float(similarities[i]), confidence(float(similarities[i])))
        for i in best
    ]
