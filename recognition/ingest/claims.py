"""Who processes which photo: claims with leases, in the database (the source of truth).

Celery messages only wake workers; a worker claims a batch of photos with a conditional UPDATE
and a lease. A worker that dies (SIGKILL, OOM, a lost node) simply stops renewing: when the lease
runs out the photo is claimable again, its attempt counted. After ``max_attempts`` claims the
photo ends ``failed`` with a reason; every path ends in ``done`` or ``failed``. Transient errors
(storage away) give the attempt back and hold the photo until its ``retry_at`` (retries.py).
How a photo ends (done, failed, queued again) is events' lifecycle (events/lifecycle.py).
"""
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from events.lifecycle import photos_announce_finished
from events.conf import ingest as ingest_config
from events.models import Photo, PhotoFailure, PhotoState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """A batch of photos held by one worker until ``lease_until``."""

    token: uuid.UUID
    photos: list[Photo]

    @property
    def photo_ids(self) -> list[int]:
        return [photo.id for photo in self.photos]


def _due(now) -> Q:
    """Queued and not waiting out a backoff."""
    return Q(state=PhotoState.QUEUED) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))


def _claimable(now) -> Q:
    return _due(now) | Q(state=PhotoState.PROCESSING, lease_until__lt=now)


def photos_claim(*, worker: str, limit: int, lease_seconds: int | None = None,
                 max_attempts: int | None = None) -> Claim | None:
    """Claim up to ``limit`` photos, oldest first; None when there is nothing to do.

    A photo whose previous worker died mid-batch is claimed alone, so one photo that kills its
    worker (a poison image) uses up only its own attempts, never its batch-mates'.
    """
    lease_seconds = lease_seconds or ingest_config().ingest_lease_seconds
    max_attempts = max_attempts or ingest_config().ingest_max_attempts
    photos_give_up_interrupted(max_attempts=max_attempts)
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        # SKIP LOCKED lets concurrent workers pick different rows on PostgreSQL; SQLite
        # serialises writers, and the conditional UPDATE below is the real guard on both.
        pending = Photo.objects.select_for_update(skip_locked=True).filter(attempts__lt=max_attempts).order_by("id")
        ids = list(pending.filter(state=PhotoState.PROCESSING, lease_until__lt=now).values_list("id", flat=True)[:1])
        if not ids:
            ids = list(pending.filter(_due(now)).values_list("id", flat=True)[:limit])
        if not ids:
            return None
        Photo.objects.filter(_claimable(now), id__in=ids).update(
            state=PhotoState.PROCESSING, attempts=F("attempts") + 1, claimed_by=worker[:200],
            claimed_at=now, lease_until=now + timedelta(seconds=lease_seconds), lease_token=token, retry_at=None)
    photos = list(Photo.objects.select_related("event").filter(lease_token=token).order_by("id"))
    return Claim(token=token, photos=photos) if photos else None


def claim_renew(*, claim: Claim, lease_seconds: int | None = None) -> None:
    lease_seconds = lease_seconds or ingest_config().ingest_lease_seconds
    Photo.objects.filter(lease_token=claim.token, state=PhotoState.PROCESSING).update(
        lease_until=timezone.now() + timedelta(seconds=lease_seconds))


def claim_owned(*, token: uuid.UUID, photo_ids: list[int]):
    """Rows still held under ``token``, locked (call inside ``transaction.atomic``).

    A worker whose lease ran out and whose photos were claimed again finds them gone here,
    so it never writes over the new owner's work.
    """
    return Photo.objects.select_for_update().filter(id__in=photo_ids, lease_token=token, state=PhotoState.PROCESSING)


def photos_give_up_interrupted(*, max_attempts: int | None = None) -> int:
    """Photos whose every attempt was interrupted (lease ran out each time) end failed."""
    max_attempts = max_attempts or ingest_config().ingest_max_attempts
    stuck = Photo.objects.filter(state=PhotoState.PROCESSING, lease_until__lt=timezone.now(), attempts__gte=max_attempts)
    found = list(stuck.values_list("id", "event_id"))
    if not found:
        return 0
    ended = stuck.filter(id__in=[photo_id for photo_id, _ in found]).update(
        state=PhotoState.FAILED, processed_at=timezone.now(), lease_token=None, lease_until=None,
        failure_code=PhotoFailure.INTERRUPTED,
        failure_reason=(f"processing was interrupted {max_attempts} times (the worker was killed or ran "
                        "out of memory on this photo); upload it again or ask support"))
    photos_announce_finished(photos=found)
    return ended


def photos_waiting(*, now=None) -> int:
    """Photos a worker could claim now (queued, or held under a lease that ran out)."""
    return Photo.objects.filter(_claimable(now or timezone.now())).count()


class LeaseKeeper:
    """Renews the leases of the claims a live worker holds, every third of the lease, on a thread.

    So a lease runs out only when its worker is gone (killed, hung machine), never because a batch
    took longer than the lease: without renewal a slow batch is claimed again by another worker,
    and again, until its attempts are used up (seen with a 6 s lease on a loaded machine).
    """

    def __init__(self, lease_seconds: int | None = None):
        self.lease_seconds = lease_seconds or ingest_config().ingest_lease_seconds
        self._claims: dict[uuid.UUID, Claim] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            name="lease-keeper", daemon=True)  # pragma: no mutate - name and flag unseen: __exit__ stops and joins it

    def hold(self, claim: Claim) -> None:
        with self._lock:
            self._claims[claim.token] = claim

    def release(self, claim: Claim) -> None:
        with self._lock:
            self._claims.pop(claim.token, None)

    def __enter__(self) -> "LeaseKeeper":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.lease_seconds / 3):
                with self._lock:
                    held = list(self._claims.values())
                for claim in held:
                    try:
                        claim_renew(claim=claim, lease_seconds=self.lease_seconds)
                    except DatabaseError as exc:  # the next beat tries again; the lease has slack
                        logger.warning("could not renew lease %s: %s", claim.token, exc)
        finally:
            connection.close()  # this thread's own connection
