"""The version counter of each event's search index, in the shared cache (Redis in production).

Kept apart from recognition.index so that writers (face storage, curation, sharing) can bump it
without importing the index builder.
"""
from django.core.cache import cache

_VERSION_KEY = "recognition:index-version:{event_id}"


def index_invalidate(*, event_id: int) -> None:
    key = _VERSION_KEY.format(event_id=event_id)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=None)


def index_version(event_id: int) -> int:
    return cache.get(_VERSION_KEY.format(event_id=event_id), 0)
