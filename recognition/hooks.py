"""What recognition tells the apps above it (core/hooks.py); it may not import them."""
from dataclasses import dataclass

from core.hooks import Hook


@dataclass(frozen=True)
class PeopleChanged:
    """These people were formed, grew, lost faces, were renamed, merged or split (one send per
    people update or curation, not one per face)."""

    event_id: int
    person_ids: tuple[int, ...]


people_changed = Hook("recognition.people_changed", PeopleChanged)
