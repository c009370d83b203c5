"""Claims with leases (events/claims.py): batches, expiry, attempts, stale owners."""
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events.claims import (claim_owned, photo_release, photos_claim, photos_give_up_interrupted, photos_waiting)
from events.models import Photo, PhotoState
from events.services import event_create


def _photos(studio, user, count):
    event = event_create(studio=studio, user=user, name="Claims")
    return [Photo.objects.create(studio=studio, event=event, original_filename=f"{i}.jpg", original_key=f"k/{uuid.uuid4()}",
                                 size=1, sha256=uuid.uuid4().hex, content_type="image/jpeg", width=10, height=10)
            for i in range(count)]


def test_a_claim_takes_a_batch_oldest_first_and_holds_it(studio_a, alice):
    photos = _photos(studio_a, alice, 5)
    claim = photos_claim(worker="w1", limit=3, lease_seconds=60)
    assert claim.photo_ids == [p.id for p in photos[:3]]
    assert {p.state for p in claim.photos} == {PhotoState.PROCESSING} and all(p.attempts == 1 for p in claim.photos)
    second = photos_claim(worker="w2", limit=3, lease_seconds=60)
    assert second.photo_ids == [p.id for p in photos[3:]]
    assert photos_claim(worker="w3", limit=3, lease_seconds=60) is None


def test_an_expired_lease_makes_the_photo_claimable_again_alone(studio_a, alice):
    _photos(studio_a, alice, 4)
    first = photos_claim(worker="dead", limit=4, lease_seconds=60)
    Photo.objects.filter(id__in=first.photo_ids).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert photos_waiting() == 4
    again = photos_claim(worker="alive", limit=4, lease_seconds=60)
    assert len(again.photos) == 1  # interrupted photos are retried one by one (a poison photo fails alone)
    assert again.photos[0].attempts == 2 and again.photos[0].claimed_by == "alive"
    assert not claim_owned(token=first.token, photo_ids=again.photo_ids).exists()  # the dead worker lost it


def test_photos_interrupted_every_attempt_end_failed_with_a_reason(studio_a, alice):
    (photo,) = _photos(studio_a, alice, 1)
    for _ in range(3):
        claim = photos_claim(worker="oom", limit=1, lease_seconds=60, max_attempts=3)
        Photo.objects.filter(id__in=claim.photo_ids).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert photos_claim(worker="next", limit=1, lease_seconds=60, max_attempts=3) is None
    photo.refresh_from_db()
    assert photo.state == PhotoState.FAILED and "interrupted 3 times" in photo.failure_reason
    assert photos_give_up_interrupted(max_attempts=3) == 0


def test_a_released_photo_is_queued_again_then_failed_when_attempts_run_out(studio_a, alice):
    (photo,) = _photos(studio_a, alice, 1)
    for attempt in range(1, 4):
        claim = photos_claim(worker="w", limit=1, lease_seconds=60, max_attempts=3)
        photo_release(photo_id=photo.id, token=claim.token, reason="S3 timed out", max_attempts=3)
        photo.refresh_from_db()
        assert photo.state == (PhotoState.QUEUED if attempt < 3 else PhotoState.FAILED)
    assert "gave up after 3 attempts" in photo.failure_reason and "S3 timed out" in photo.failure_reason


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_never_share_a_photo(studio_a, alice):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race matters on PostgreSQL")
    photos = _photos(studio_a, alice, 40)
    taken: list[list[int]] = []

    def claimer(name):
        from django.db import connections

        while (claim := photos_claim(worker=name, limit=3, lease_seconds=60)) is not None:
            taken.append(claim.photo_ids)
        connections.close_all()

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    flat = [photo_id for batch in taken for photo_id in batch]
    assert sorted(flat) == sorted(p.id for p in photos)  # each photo claimed exactly once


@pytest.mark.django_db(transaction=True)
def test_a_live_workers_leases_are_renewed_so_a_slow_batch_is_not_taken(studio_a, alice):
    import time

    from events.claims import LeaseKeeper

    _photos(studio_a, alice, 2)
    held = photos_claim(worker="slow", limit=1, lease_seconds=2)
    dropped = photos_claim(worker="dead", limit=1, lease_seconds=2)
    with LeaseKeeper(lease_seconds=2) as keeper:
        keeper.hold(held)
        time.sleep(3)  # longer than the lease
        assert photos_waiting() == 1  # only the unrenewed claim ran out
        again = photos_claim(worker="other", limit=5, lease_seconds=2)
    assert again.photo_ids == dropped.photo_ids
