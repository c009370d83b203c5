"""The outbox: work for an app above the sender, recorded in the sender's transaction.

A subscriber to a hook (core/hooks.py) that belongs to a higher app (webhooks) must not run that
app's queries, or take its locks, inside the sender's transaction (an ingest batch being stored):
it writes one small row here instead (``outbox_write``, one INSERT) and wakes its own task on
commit. The task takes rows with ``outbox_take``: locked (SKIP LOCKED, so two expanders never
share a row) and deleted in the transaction that acts on them, so each row is expanded exactly
once, however many wakes arrive; a lost wake leaves the row for the app's sweep. A row whose
expansion raises stays with the error (``attempts``, ``last_error``) and is tried again by the
sweep, up to ``max_attempts``; after that it waits with its reason for a person.
"""
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import F

from core.models import OutboxRow

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def outbox_write(*, topic: str, payload: dict) -> OutboxRow:
    return OutboxRow.objects.create(topic=topic, payload=payload)


def outbox_take(*, topic_prefix: str, expand: Callable[[OutboxRow], None], row_ids: list[int] | None = None,
                limit: int = 200, max_attempts: int = MAX_ATTEMPTS) -> int:
    """Expand rows of the topics under ``topic_prefix`` (only ``row_ids``, if given), each in its
    own transaction with the row locked and then deleted; returns how many were expanded."""
    pending = OutboxRow.objects.filter(topic__startswith=topic_prefix, attempts__lt=max_attempts)
    if row_ids is not None:
        pending = pending.filter(id__in=row_ids)
    expanded = 0
    for row_id in list(pending.order_by("id").values_list("id", flat=True)[:limit]):
        try:
            with transaction.atomic():
                row = OutboxRow.objects.select_for_update(skip_locked=True).filter(id=row_id).first()
                if row is None:  # another expander has it, or had it and is done
                    continue
                expand(row)
                row.delete()
                expanded += 1
        except Exception as exc:  # noqa: BLE001 - one bad row never holds up the others
            logger.exception("outbox row %s (%s) could not be expanded", row_id, topic_prefix)
            OutboxRow.objects.filter(id=row_id).update(attempts=F("attempts") + 1,
                                                       last_error=f"{exc.__class__.__name__}: {exc}"[:500])
    return expanded
