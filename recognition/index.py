"""The event's searchable face matrix, decrypted once and kept up to date per worker process.

Every search reads the event's index state from the database (recognition.index_version, one
primary-key query) and brings its cached copy up to date with the least work:
* only faces were added since (the ingest path): decrypt just those and append them;
* anything else changed (photo or person hidden, guest forgotten, faces deleted or re-embedded):
  re-read which face ids are searchable — no ciphertext, no decryption — drop the rest, and
  decrypt only faces the copy never held;
* nothing cached, another generation of the event, or another embedder: decrypt everything.
"""
import threading
from dataclasses import dataclass, field

import numpy as np

from events.models import Event
from recognition.index_version import IndexState, index_additions, index_state
from recognition.models import Face
from recognition.services.calibration import event_embedder_filter
from recognition.services.faces import face_embeddings
from recognition.services.keys import event_data_key

_local: dict[int, "EventIndex"] = {}
_lock = threading.Lock()  # guards _local and writes into a shared _Rows buffer
MAX_CACHED_EVENTS = 8  # ~60 MB each at 100k faces × 128-D float32 (with append headroom)
IDS_PER_QUERY = 900  # under SQLite's default limit on bound parameters


@dataclass
class _Rows:
    """Preallocated rows so that an append writes in place instead of copying 50 MB."""

    matrix: np.ndarray
    face_ids: np.ndarray
    photo_ids: np.ndarray
    filled: int


@dataclass(frozen=True)
class EventIndex:
    version: int
    removals_version: int
    generation: str | None
    embedder: tuple[str, str] | None  # (name, version) of every row; a selfie must use the same
    matrix: np.ndarray  # (n, d) float32, unit rows — a view of the first n buffer rows
    face_ids: np.ndarray  # (n,) int64
    photo_ids: np.ndarray  # (n,) int64
    rows: _Rows = field(repr=False, compare=False)


def event_index(*, event: Event) -> EventIndex:
    state = index_state(event.id)
    cached = _local.get(event.id)
    if cached is not None and (cached.generation, cached.version) == (state.generation, state.version):
        return cached
    index = _refreshed(event, state, cached)
    if state.generation is not None:
        with _lock:
            if len(_local) >= MAX_CACHED_EVENTS and event.id not in _local:
                _local.pop(next(iter(_local)))
            _local[event.id] = index
    return index


def searchable_faces(*, event: Event):
    """Usable faces of visible photos, not of hidden people, not of forgotten guests, not set aside by
    hand ("not a face", "ignored" background people), made by the
    event's embedder (services.calibration: during a re-embed the old model's faces drop out)."""
    return (
        Face.objects.filter(event=event, usable=True, guest_excluded=False, photo__hidden=False, set_aside="",
                            **event_embedder_filter(event=event))
        .exclude(person__hidden=True)
        .only("id", "uid", "photo_id", "embedding_ciphertext", "embedder_name", "embedder_version")
        .order_by("id")
    )


def _refreshed(event: Event, state: IndexState, cached: EventIndex | None) -> EventIndex:
    if cached is None or cached.generation != state.generation:
        return _build(event, state)
    if cached.removals_version == state.removals_version:
        added = index_additions(event.id, after=cached.version, upto=state.version)
        if added is not None:
            fresh = _fetch(event, added, known=cached.face_ids)
            return _build(event, state) if _other_embedder(cached, fresh) else _append(event, cached, fresh, state)
    return _resync(event, state, cached)


def _resync(event: Event, state: IndexState, cached: EventIndex) -> EventIndex:
    """Keep the cached rows that are still searchable; decrypt only the searchable ones it lacks."""
    searchable = np.fromiter(searchable_faces(event=event).values_list("id", flat=True), np.int64)
    keep = np.flatnonzero(np.isin(cached.face_ids, searchable))
    fresh = _fetch(event, searchable[~np.isin(searchable, cached.face_ids)].tolist())
    if _other_embedder(cached, fresh):
        return _build(event, state)
    if len(keep) < len(cached.face_ids):
        cached = _from_rows(_compact(cached, keep), cached, state)
    return _append(event, cached, fresh, state)


def _fetch(event: Event, face_ids: list[int], known: np.ndarray | None = None) -> list[Face]:
    """Searchable faces among `face_ids` (ciphertext included), minus those already held."""
    if known is not None and len(known) and face_ids:
        # A face can be both in a re-read and in a later addition; only ids below the highest
        # one held can repeat, so the common case (all new ids above it) skips the comparison.
        ids = np.asarray(face_ids, np.int64)
        low = ids <= known.max()
        if low.any():
            ids = np.concatenate([ids[~low], ids[low][~np.isin(ids[low], known)]])
        face_ids = ids.tolist()
    faces = []
    for start in range(0, len(face_ids), IDS_PER_QUERY):
        faces += searchable_faces(event=event).filter(id__in=face_ids[start:start + IDS_PER_QUERY])
    return faces


def _other_embedder(cached: EventIndex, faces: list[Face]) -> bool:
    """Rows of two embedders are not comparable: such a change (a re-embed) rebuilds everything."""
    return cached.embedder is not None and any((f.embedder_name, f.embedder_version) != cached.embedder for f in faces)


def _build(event: Event, state: IndexState) -> EventIndex:
    faces = list(searchable_faces(event=event))
    empty = EventIndex(state.version, state.removals_version, state.generation, None,
                       np.zeros((0, 1), np.float32), np.zeros(0, np.int64), np.zeros(0, np.int64),
                       _Rows(np.zeros((0, 1), np.float32), np.zeros(0, np.int64), np.zeros(0, np.int64), 0))
    return _append(event, empty, faces, state)


def _append(event: Event, cached: EventIndex, faces: list[Face], state: IndexState) -> EventIndex:
    """The cached rows plus `faces` (decrypted now), labelled with `state`."""
    if not faces:
        return _from_rows(cached.rows, cached, state, len(cached.face_ids))
    matrix = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id)
    face_ids = np.fromiter((f.id for f in faces), np.int64, len(faces))
    photo_ids = np.fromiter((f.photo_id for f in faces), np.int64, len(faces))
    n, k = len(cached.face_ids), len(faces)
    with _lock:
        rows = cached.rows
        # Write in place only past every row some index already shows, and only if it fits.
        if rows.filled != n or n + k > len(rows.face_ids) or rows.matrix.shape[1] != matrix.shape[1]:
            rows = _grown(cached, n + k, matrix.shape[1])
        rows.matrix[n:n + k], rows.face_ids[n:n + k], rows.photo_ids[n:n + k] = matrix, face_ids, photo_ids
        rows.filled = n + k
    embedder = cached.embedder or (faces[0].embedder_name, faces[0].embedder_version)
    return _from_rows(rows, cached, state, n + k, embedder)


def _grown(cached: EventIndex, needed: int, dim: int) -> _Rows:
    """A new buffer holding the cached rows, with a quarter of headroom for the next appends."""
    capacity = needed + max(1024, needed // 4)
    n = len(cached.face_ids)
    rows = _Rows(np.empty((capacity, dim), np.float32), np.empty(capacity, np.int64), np.empty(capacity, np.int64), n)
    if n:
        rows.matrix[:n], rows.face_ids[:n], rows.photo_ids[:n] = cached.matrix, cached.face_ids, cached.photo_ids
    return rows


def _compact(cached: EventIndex, keep: np.ndarray) -> _Rows:
    """A new buffer with only the `keep` rows: indexes already handed out keep their own rows."""
    n = len(keep)
    capacity = n + max(1024, n // 4)
    rows = _Rows(np.empty((capacity, cached.matrix.shape[1]), np.float32), np.empty(capacity, np.int64),
                 np.empty(capacity, np.int64), n)
    rows.matrix[:n] = cached.matrix[keep]
    rows.face_ids[:n], rows.photo_ids[:n] = cached.face_ids[keep], cached.photo_ids[keep]
    return rows


def _from_rows(rows: _Rows, cached: EventIndex, state: IndexState, n: int | None = None, embedder=None) -> EventIndex:
    n = rows.filled if n is None else n
    return EventIndex(
        state.version, state.removals_version, state.generation, embedder or cached.embedder,
        rows.matrix[:n], rows.face_ids[:n], rows.photo_ids[:n], rows,
    )
