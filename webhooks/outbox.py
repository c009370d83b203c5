"""From the lower apps' hooks to webhook deliveries, through the outbox (core/outbox.py).

``notice_to_outbox`` is what webhooks subscribes to the hooks (webhooks/apps.py). It runs inside
the sender's transaction (an ingest batch being stored, a curation, a guest search) and does one
thing there: write a row with the hook's ids. No webhook is read and no lock taken under the
sender's locks. After the commit, webhooks' own task expands the row into notices (notices.py:
which webhooks subscribe, the data each type says, event.processed under the event's lock) and
deletes it in that same transaction, so every notice is queued once; the beat sweep
(tasks.dispatch_due) expands rows whose wake was lost.
"""
import logging
from dataclasses import asdict

from django.db import transaction

from core.outbox import outbox_take, outbox_write
from events.hooks import PhotosFinished
from recognition.hooks import PeopleChanged
from sharing.hooks import GuestMatched, GuestSearched, RemovalRequested
from webhooks import notices

logger = logging.getLogger(__name__)

TOPIC_PREFIX = "webhooks."
# Hook payload -> (outbox topic, the notice it becomes).
_NOTICES = {
    PhotosFinished: ("webhooks.photos_finished", notices.photos_finished),
    PeopleChanged: ("webhooks.people_changed", notices.people_changed),
    GuestSearched: ("webhooks.guest_searched", notices.guest_searched),
    GuestMatched: ("webhooks.guest_matched", notices.guest_matched),
    RemovalRequested: ("webhooks.removal_requested", notices.removal_requested),
}
_EXPAND = dict(_NOTICES.values())


def notice_record(payload, *, wake) -> int:
    """Write the outbox row for a hook's payload; ``wake(row_id)`` runs once the sender commits."""
    topic, _ = _NOTICES[type(payload)]
    row = outbox_write(topic=topic, payload=asdict(payload))
    transaction.on_commit(lambda: wake(row.id))
    return row.id


def notices_expand(*, row_ids: list[int] | None = None, limit: int = 200) -> int:
    """Turn outbox rows into deliveries (those given, or every row left behind); returns how many rows."""
    return outbox_take(topic_prefix=TOPIC_PREFIX, row_ids=row_ids, limit=limit,
                       expand=lambda row: _EXPAND[row.topic](**row.payload))
