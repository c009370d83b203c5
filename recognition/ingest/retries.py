"""Backoff after transient errors (events/transient.py says which errors those are).

Such an error never spends one of the photo's attempts. The photo goes back to the queue with a
jittered, exponentially growing ``retry_at`` that claims respect, so a 10 s storage outage costs
a few cheap retries instead of burning every attempt in under a second. Only when errors have
lasted longer than VISAGE_INGEST_RETRY_PATIENCE_SECONDS does the photo end ``failed`` with the
code ``transient``; the reconciler queues those again once storage answers (reconcile.py).
"""
import logging
import random
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from events.conf import ingest as ingest_config
from core.storage import object_storage
from events.lifecycle import photo_fail, photos_requeue
from events.models import Photo, PhotoFailure, PhotoState
from events.transient import is_transient

logger = logging.getLogger(__name__)


def retry_delay(*, errors: int) -> float:
    """Seconds to wait after the ``errors``-th transient error in a row: doubling from the first
    delay up to the maximum, each drawn between half and all of it so workers spread out."""
    ceiling = min(ingest_config().ingest_retry_max_seconds,
                  ingest_config().ingest_retry_first_seconds * 2 ** min(max(errors - 1, 0), 30))
    return random.uniform(ceiling / 2, ceiling)


def photo_retry_later(*, photo_id: int, token: uuid.UUID, reason: str) -> datetime | None:
    """Back to the queue until its ``retry_at`` (returned), the claim's attempt given back; or,
    past the patience, ``failed`` with the code ``transient`` (None). Only if still ours."""
    rows = Photo.objects.filter(id=photo_id, lease_token=token, state=PhotoState.PROCESSING)
    current = rows.values("transient_errors", "transient_since").first()
    if current is None:
        return None
    now = timezone.now()
    since = current["transient_since"] or now
    patience = timedelta(seconds=ingest_config().ingest_retry_patience_seconds)
    if now - since >= patience:
        minutes = (now - since).total_seconds() / 60
        photo_fail(photo_id=photo_id, token=token, code=PhotoFailure.TRANSIENT, reason=(
            f"the infrastructure stayed unavailable for {minutes:.0f} min ({current['transient_errors'] + 1} "
            f"tries); it is retried when storage answers again; last error: {reason}"))
        return None
    retry_at = now + timedelta(seconds=retry_delay(errors=current["transient_errors"] + 1))
    rows.update(state=PhotoState.QUEUED, attempts=F("attempts") - 1, transient_errors=F("transient_errors") + 1,
                transient_since=since, retry_at=retry_at, lease_token=None, lease_until=None,
                failure_reason=f"waiting to retry after: {reason}"[:2000])
    return retry_at


def photos_next_retry() -> datetime | None:
    """When the earliest photo waiting out a backoff becomes claimable."""
    return (Photo.objects.filter(state=PhotoState.QUEUED, retry_at__isnull=False)
            .order_by("retry_at").values_list("retry_at", flat=True).first())


def photos_requeue_transient(*, event_id: int | None = None) -> int:
    """Photos that failed only because the infrastructure was away: queued again, fresh, if
    storage answers now (probed with one of their originals); returns how many."""
    failed = Photo.objects.filter(state=PhotoState.FAILED, failure_code=PhotoFailure.TRANSIENT)
    if event_id is not None:
        failed = failed.filter(event_id=event_id)
    probe = failed.values_list("original_key", flat=True).first()
    if probe is None:
        return 0
    try:
        object_storage().exists(probe)
    except Exception as exc:  # noqa: BLE001 - still away: try again on the next run
        if not is_transient(exc):
            raise
        logger.warning("reconcile: storage still unavailable (%s); transient failures wait", exc.__class__.__name__)
        return 0
    return photos_requeue(photos=failed)
