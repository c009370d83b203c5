"""Processing counters for events, in one query per source however many events are shown.

Apps above events (recognition: faces, people) add their counters by registering a source in
their AppConfig.ready; events cannot import them.
"""
from collections.abc import Callable, Iterable

from django.db.models import Count, Q

from events.models import Photo, PhotoState

# event ids -> {event_id: {counter: value}}; must answer for every id it is given.
CounterSource = Callable[[list[int]], dict[int, dict[str, int]]]
_sources: list[CounterSource] = []


def counter_source_register(source: CounterSource) -> None:
    if source not in _sources:
        _sources.append(source)


def photo_counters(event_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (Photo.objects.filter(event_id__in=event_ids).order_by().values("event_id")
            .annotate(total=Count("id"), done=Count("id", filter=Q(state=PhotoState.DONE)),
                      failed=Count("id", filter=Q(state=PhotoState.FAILED))))
    found = {row["event_id"]: row for row in rows}
    counters = {}
    for event_id in event_ids:
        row = found.get(event_id, {"total": 0, "done": 0, "failed": 0})
        counters[event_id] = {
            "photos_total": row["total"], "photos_done": row["done"], "photos_failed": row["failed"],
            "photos_pending": row["total"] - row["done"] - row["failed"],
        }
    return counters


def events_counters(event_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Every registered source's counters, merged per event."""
    ids = list(event_ids)
    merged = photo_counters(ids)
    for source in _sources:
        for event_id, values in source(ids).items():
            merged[event_id].update(values)
    return merged
