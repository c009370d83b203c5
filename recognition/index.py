"""The event's searchable face matrix, decrypted once and cached per worker process.

A version counter in the shared cache (Redis in production) is bumped by every change that
affects search (faces stored, people hidden/merged, photos hidden, a guest forgotten); each
process compares it on use and rebuilds its copy when it moved.
"""
import threading
from dataclasses import dataclass

import numpy as np

from events.models import Event
from recognition.index_version import index_version
from recognition.models import Face
from recognition.services.faces import face_embeddings
from recognition.services.keys import event_data_key

_local: dict[int, "EventIndex"] = {}
_lock = threading.Lock()
MAX_CACHED_EVENTS = 8  # ~50 MB each at 100k faces × 128-D float32


@dataclass(frozen=True)
class EventIndex:
    version: int
    matrix: np.ndarray  # (n, d) float32, unit rows
    face_ids: np.ndarray  # (n,) int64
    photo_ids: np.ndarray  # (n,) int64


def event_index(*, event: Event) -> EventIndex:
    version = index_version(event.id)
    cached = _local.get(event.id)
    if cached is not None and cached.version == version:
        return cached
    index = _build(event, version)
    with _lock:
        if len(_local) >= MAX_CACHED_EVENTS and event.id not in _local:
            _local.pop(next(iter(_local)))
        _local[event.id] = index
    return index


def searchable_faces(*, event: Event):
    """Usable faces of visible photos, not of hidden people, not of forgotten guests."""
    return (
        Face.objects.filter(event=event, usable=True, guest_excluded=False, photo__hidden=False)
        .exclude(person__hidden=True)
        .only("id", "uid", "photo_id", "embedding_ciphertext")
        .order_by("id")
    )


def _build(event: Event, version: int) -> EventIndex:
    faces = list(searchable_faces(event=event))
    if not faces:
        return EventIndex(version, np.zeros((0, 1), np.float32), np.zeros(0, np.int64), np.zeros(0, np.int64))
    matrix = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id)
    return EventIndex(
        version=version, matrix=matrix,
        face_ids=np.fromiter((f.id for f in faces), np.int64, len(faces)),
        photo_ids=np.fromiter((f.photo_id for f in faces), np.int64, len(faces)),
    )
