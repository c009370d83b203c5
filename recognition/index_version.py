"""The version of each event's search index, kept in the database (recognition.models.SearchIndexState).

Writers call `index_faces_added` when the only change is newly stored faces (the ingest path),
and `index_invalidate` for anything else (faces deleted, photos hidden, people hidden or merged,
guests forgotten, re-embeds). Kept apart from recognition.index so that writers can bump it
without importing the index builder. A database row cannot be evicted the way a cache key can,
so a process never mistakes an old index for a current one.
"""
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from events.hooks import EventVisibilityChanged
from events.models import Event
from recognition.models import SearchIndexAddition, SearchIndexState

# Additions kept per event; a process further behind than this re-reads the searchable ids instead.
ADDITIONS_KEPT = 1000


@dataclass(frozen=True)
class IndexState:
    version: int
    removals_version: int  # the version of the last change other than added faces
    generation: str | None  # None when the event does not exist


def index_invalidate(*, event_id: int) -> None:
    """Anything but added faces changed: cached indexes re-read which faces are searchable."""
    with transaction.atomic():
        version = _bump(event_id, removals=True)
        if version is not None:  # nothing before a removal is ever replayed
            SearchIndexAddition.objects.filter(event_id=event_id, version__lt=version).delete()


def index_invalidate_visibility(changed: EventVisibilityChanged) -> None:
    """Subscribed to events.hooks.event_visibility_changed (a photo hidden, the event gone)."""
    index_invalidate(event_id=changed.event_id)


def index_faces_added(*, event_id: int, face_ids: Sequence[int]) -> None:
    """Only these faces were stored: cached indexes decrypt just them and append them.

    Call it after the faces' transaction committed (on_commit): a process that sees the new
    version must be able to read the faces.
    """
    with transaction.atomic():
        version = _bump(event_id, removals=False)
        if version is None:
            return
        SearchIndexAddition.objects.create(event_id=event_id, version=version, face_ids=[int(i) for i in face_ids])
        SearchIndexAddition.objects.filter(event_id=event_id, version__lte=version - ADDITIONS_KEPT).delete()


def index_state(event_id: int) -> IndexState:
    """One primary-key read; the row is created on first use."""
    for _ in range(2):
        row = SearchIndexState.objects.filter(event_id=event_id).values_list(
            "version", "removals_version", "generation")[:1]
        if row:
            version, removals_version, generation = row[0]
            return IndexState(version, removals_version, str(generation))
        if not _state_create(event_id):
            break
    return IndexState(0, 0, None)


def index_additions(event_id: int, *, after: int, upto: int) -> list[int] | None:
    """Face ids stored by the changes after `after` up to `upto`; None if any of them is not an
    addition or has been pruned (the caller then re-reads the searchable ids)."""
    rows = list(SearchIndexAddition.objects.filter(event_id=event_id, version__gt=after, version__lte=upto)
                .values_list("face_ids", flat=True))
    if len(rows) != upto - after:
        return None
    return [face_id for face_ids in rows for face_id in face_ids]


def _bump(event_id: int, *, removals: bool) -> int | None:
    """version + 1 in one UPDATE (the row lock orders concurrent bumps) → the new version."""
    changes = {"version": F("version") + 1}
    if removals:  # SQL evaluates every SET expression on the old row: both become the new version
        changes["removals_version"] = F("version") + 1
    rows = SearchIndexState.objects.filter(event_id=event_id)
    if not rows.update(**changes):
        if not _state_create(event_id):
            return None  # the event is gone, and with it every face
        rows.update(**changes)
    return rows.values_list("version", flat=True).get()


def _state_create(event_id: int) -> bool:
    """Insert the row unless another process just did; False if the event does not exist."""
    with transaction.atomic():
        # FOR NO KEY UPDATE: a concurrent event delete waits, face inserts (KEY SHARE) do not.
        if not Event.objects.select_for_update(no_key=True).filter(id=event_id).values_list("id")[:1]:
            return False
        SearchIndexState.objects.bulk_create([SearchIndexState(event_id=event_id)], ignore_conflicts=True)
    return True
