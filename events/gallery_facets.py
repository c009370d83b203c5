"""What the studio's gallery can filter on and where its thumbnails focus, beyond the photo row.

Faces live in recognition, above events: it registers a photo filter per face-based facet
("person", "faces") and the source of thumbnail focus (from stored face boxes) in its AppConfig.ready, as it does for
events/counters.py. events never imports it.
"""
from collections.abc import Callable

from django.db.models import Q

from events.models import Event, Photo

# (event, the query-string value) -> a Q on Photo; raises ValueError for a value it cannot read.
PhotoFilter = Callable[[Event, str], Q]
# photos -> {photo id: (x %, y %)}: the CSS object-position that keeps the photo's faces in a square
# tile; photos it leaves out are centred (50, 50).
FocusSource = Callable[[list[Photo]], dict[int, tuple[float, float]]]
CENTRE = (50.0, 50.0)

_filters: dict[str, PhotoFilter] = {}
_focus_sources: list[FocusSource] = []


def photo_filter_register(name: str, photo_filter: PhotoFilter) -> None:
    _filters[name] = photo_filter


def photo_filter(name: str) -> PhotoFilter | None:
    return _filters.get(name)


def focus_source_register(source: FocusSource) -> None:
    if source not in _focus_sources:
        _focus_sources.append(source)


def photos_focus(photos: list[Photo]) -> dict[int, tuple[float, float]]:
    """Every photo's focus, in one query per source for a whole page."""
    focus = {photo.id: CENTRE for photo in photos}
    for source in _focus_sources:
        focus.update(source(photos))
    return focus
