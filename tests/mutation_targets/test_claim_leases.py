"""recognition/ingest/claims.py's leases as a worker and the studio see them: what a claim records,
which limits apply when none is given, how a photo interrupted too often ends, and that a live
worker's lease keeper renews only what it still holds (issue 22's mutation gate found these unpinned)."""
import logging
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import OperationalError, connections, transaction
from django.utils import timezone

from events.models import Photo, PhotoFailure, PhotoState
from events.services import event_create
from recognition.ingest import claims
from recognition.ingest.claims import LeaseKeeper, claim_renew, photos_claim, photos_waiting


def _photos(studio, user, count, **fields):
    event = event_create(studio=studio, user=user, name="Leases")
    return [Photo.objects.create(studio=studio, event=event, original_filename=f"{i}.jpg", size=1,
                                 original_key=f"k/{uuid.uuid4()}", sha256=uuid.uuid4().hex, content_type="image/jpeg",
                                 width=10, height=10, **fields)
            for i in range(count)]


def _close(moment, expected, slack=5.0):
    return abs((moment - expected).total_seconds()) < slack


def test_a_claim_records_its_worker_its_lease_and_ends_the_backoff(studio_a, alice):
    """A worker name longer than the column (host and pid) is cut, not refused; the lease is the
    one asked for; a photo claimed after its backoff no longer shows a retry time."""
    (photo,) = _photos(studio_a, alice, 1, retry_at=timezone.now() - timedelta(seconds=1))
    worker = "host-" + "x" * 245
    claim = photos_claim(worker=worker, limit=5, lease_seconds=45)
    photo.refresh_from_db()
    now = timezone.now()
    assert (photo.state, photo.attempts, photo.claimed_by, photo.lease_token) == (
        PhotoState.PROCESSING, 1, worker[:200], claim.token)
    assert _close(photo.claimed_at, now) and _close(photo.lease_until, now + timedelta(seconds=45))
    assert photo.retry_at is None


def test_a_claimed_batch_comes_with_its_events(studio_a, alice, django_assert_num_queries):
    """The engine reads each photo's event (its key, its model): no query per photo."""
    _photos(studio_a, alice, 3)
    claim = photos_claim(worker="w", limit=3, lease_seconds=60)
    with django_assert_num_queries(0):
        assert {photo.event.name for photo in claim.photos} == {"Leases"}


def test_an_ended_photo_with_a_lease_left_behind_is_not_waiting_nor_claimed(studio_a, alice):
    """Only queued photos and processing ones whose lease ran out are work; a failed photo whose
    lease_until a writer forgot to clear is neither."""
    (photo,) = _photos(studio_a, alice, 1, state=PhotoState.FAILED, lease_until=timezone.now() - timedelta(seconds=1))
    assert photos_waiting() == 0
    assert photos_claim(worker="w", limit=1, lease_seconds=60) is None
    photo.refresh_from_db()
    assert photo.state == PhotoState.FAILED


def test_the_configured_lease_and_attempts_apply_when_none_is_given(studio_a, alice, settings):
    settings.VISAGE_INGEST_LEASE_SECONDS, settings.VISAGE_INGEST_MAX_ATTEMPTS = 300, 2
    first, second = _photos(studio_a, alice, 2)
    photos_claim(worker="w", limit=1)
    first.refresh_from_db()
    assert _close(first.lease_until, timezone.now() + timedelta(seconds=300))
    Photo.objects.filter(id=first.id).update(attempts=2, lease_until=timezone.now() - timedelta(seconds=1))
    assert photos_claim(worker="w", limit=5).photo_ids == [second.id]  # 2 attempts spent: not again
    first.refresh_from_db()
    assert first.state == PhotoState.FAILED and "interrupted 2 times" in first.failure_reason


def test_an_explicit_lease_and_attempt_limit_win_over_the_configured_ones(studio_a, alice, settings):
    settings.VISAGE_INGEST_LEASE_SECONDS, settings.VISAGE_INGEST_MAX_ATTEMPTS = 300, 5
    (photo,) = _photos(studio_a, alice, 1)
    claim = photos_claim(worker="w", limit=1, lease_seconds=30, max_attempts=2)
    Photo.objects.filter(id=photo.id).update(attempts=2, lease_until=timezone.now() - timedelta(seconds=1))
    assert photos_claim(worker="w", limit=1, max_attempts=2) is None
    photo.refresh_from_db()
    assert photo.state == PhotoState.FAILED and "interrupted 2 times" in photo.failure_reason
    assert claim.photo_ids == [photo.id]


def test_a_renewal_extends_only_the_claims_own_photos_still_processing(studio_a, alice, settings):
    settings.VISAGE_INGEST_LEASE_SECONDS = 300
    held, other = _photos(studio_a, alice, 2)
    claim = photos_claim(worker="w", limit=1, lease_seconds=10)
    photos_claim(worker="v", limit=1, lease_seconds=10)
    claim_renew(claim=claim, lease_seconds=90)
    held.refresh_from_db(), other.refresh_from_db()
    assert _close(held.lease_until, timezone.now() + timedelta(seconds=90))
    assert _close(other.lease_until, timezone.now() + timedelta(seconds=10))
    claim_renew(claim=claim)  # the configured lease
    held.refresh_from_db()
    assert _close(held.lease_until, timezone.now() + timedelta(seconds=300))
    # A photo that ended while still carrying the token (a writer that forgot to clear it) is no
    # longer the worker's: not renewed.
    Photo.objects.filter(id=held.id).update(state=PhotoState.DONE, lease_until=None)
    claim_renew(claim=claim, lease_seconds=90)
    held.refresh_from_db()
    assert held.lease_until is None


def test_a_worker_owns_only_its_photos_still_processing(studio_a, alice):
    """What a worker may write: its claim's photos still processing, not one that ended while still
    carrying the token (a writer that forgot to clear it), not another claim's."""
    ended, *mine = _photos(studio_a, alice, 3)
    claim = photos_claim(worker="w", limit=3, lease_seconds=60)
    Photo.objects.filter(id=ended.id).update(state=PhotoState.DONE)
    ids = [ended.id, *[photo.id for photo in mine]]
    assert sorted(claims.claim_owned(token=claim.token, photo_ids=ids).values_list("id", flat=True)) == [
        photo.id for photo in mine]
    assert not claims.claim_owned(token=uuid.uuid4(), photo_ids=ids).exists()


def test_a_photo_interrupted_every_attempt_ends_failed_with_its_code_and_no_lease(studio_a, alice):
    """What the studio sees: failed, the 'interrupted' code, when; no lease left behind. A photo
    whose last lease still runs, and a queued one, are left alone."""
    stuck, running, queued = _photos(studio_a, alice, 3)
    for photo in (stuck, running):
        photos_claim(worker="w", limit=1, lease_seconds=60, max_attempts=3)
    Photo.objects.filter(id__in=[stuck.id, running.id]).update(attempts=3)
    Photo.objects.filter(id=stuck.id).update(lease_until=timezone.now() - timedelta(seconds=1))
    Photo.objects.filter(id=queued.id).update(attempts=3, lease_until=timezone.now() - timedelta(seconds=1))
    assert claims.photos_give_up_interrupted(max_attempts=3) == 1
    stuck.refresh_from_db(), running.refresh_from_db(), queued.refresh_from_db()
    assert (stuck.state, stuck.failure_code, stuck.lease_token, stuck.lease_until) == (
        PhotoState.FAILED, PhotoFailure.INTERRUPTED, None, None)
    assert _close(stuck.processed_at, timezone.now())
    assert stuck.failure_reason == ("processing was interrupted 3 times (the worker was killed or ran out of memory "
                                    "on this photo); upload it again or ask support")
    assert (running.state, queued.state) == (PhotoState.PROCESSING, PhotoState.QUEUED)


@pytest.mark.django_db(transaction=True)
def test_a_released_claim_is_no_longer_renewed(studio_a, alice):
    _photos(studio_a, alice, 2)
    kept, released = (photos_claim(worker="w", limit=1, lease_seconds=2) for _ in range(2))
    with LeaseKeeper(lease_seconds=2) as keeper:
        for claim in (kept, released):
            keeper.hold(claim)
        for _ in range(2):  # the second release finds nothing to drop: no error
            keeper.release(released)
        time.sleep(3)  # longer than the lease: only the kept claim was renewed
        taken = photos_claim(worker="other", limit=5, lease_seconds=60)
        renewed_until = Photo.objects.get(id=kept.photo_ids[0]).lease_until
    assert taken.photo_ids == released.photo_ids and photos_waiting() == 0
    assert renewed_until <= timezone.now() + timedelta(seconds=2.5)  # by the keeper's lease, not the configured 120 s


@pytest.mark.django_db(transaction=True)
def test_a_failed_renewal_is_logged_and_the_next_beat_renews(studio_a, alice, monkeypatch, caplog):
    """A database blip during a renewal (injected once) is reported with the claim's token; the
    lease has slack, so the next beat renews it and the photo is not taken by another worker."""
    _photos(studio_a, alice, 1)
    claim = photos_claim(worker="w", limit=1, lease_seconds=2)
    failures = []

    def renew_once_failing(**kwargs):
        if not failures:
            failures.append(kwargs)
            raise OperationalError("server closed the connection unexpectedly")
        claim_renew(**kwargs)

    monkeypatch.setattr(claims, "claim_renew", renew_once_failing)
    with caplog.at_level(logging.WARNING, logger="recognition.ingest.claims"), LeaseKeeper(lease_seconds=2) as keeper:
        keeper.hold(claim)
        time.sleep(3)
        assert photos_waiting() == 0
    assert [r.getMessage() for r in caplog.records if r.name == "recognition.ingest.claims"] == [
        f"could not renew lease {claim.token}: server closed the connection unexpectedly"]


@pytest.mark.django_db(transaction=True)
def test_a_claim_goes_around_a_photo_another_worker_is_locking(studio_a, alice):
    """Workers never queue up behind each other: a row another worker's claim holds locked is
    skipped (SKIP LOCKED), the rest are claimed at once."""
    locked_photo, *others = _photos(studio_a, alice, 3)
    locked, done = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Photo.objects.select_for_update().get(id=locked_photo.id)
                locked.set()
                done.wait(timeout=20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=20)
        claim = photos_claim(worker="w", limit=5, lease_seconds=60)
    finally:
        done.set()
        thread.join()
    assert claim.photo_ids == [photo.id for photo in others]
