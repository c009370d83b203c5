"""Find the photos a face (a guest's selfie) appears in: cosine top-k over the event index."""
import time
from dataclasses import dataclass

import numpy as np

from events.models import Event
from recognition.index import event_index
from recognition.models import SearchLog
from recognition.services.calibration import event_calibration


@dataclass(frozen=True)
class SearchMatch:
    photo_id: int
    face_id: int
    similarity: float
    confidence: float  # percent, monotonic in similarity (recognition.ml.calibration)


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
    matches = _search(event, embedding, threshold, limit, exclude_face_ids, calibration.confidence, expected)
    SearchLog.objects.create(
        studio_id=event.studio_id, event=event, search_ms=(time.perf_counter() - started) * 1000, matches=len(matches)
    )
    return matches


def _search(event: Event, embedding: np.ndarray, threshold: float, limit: int, exclude_face_ids,
            confidence, expected_embedder) -> list[SearchMatch]:
    index = event_index(event=event)
    if len(index.face_ids) == 0 or (index.embedder and expected_embedder and index.embedder != expected_embedder):
        return []  # a cached index of the old model while the event is re-embedded: never mix
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
