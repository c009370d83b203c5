"""Claims with leases (recognition/ingest/claims.py): batches, expiry, attempts, stale owners."""
import io
import threading
import uuid
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from django.db import IntegrityError, OperationalError, connection
from django.utils import timezone

from events.models import Photo, PhotoFailure, PhotoState
from events.services import event_create
from recognition.ingest.claims import claim_owned, photos_claim, photos_give_up_interrupted, photos_waiting
from recognition.ingest.reconcile import reconcile
from recognition.ingest.retries import photo_retry_later


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


def _due_now(photo):
    Photo.objects.filter(id=photo.id).update(retry_at=timezone.now() - timedelta(milliseconds=1))


def test_transient_errors_spend_no_attempt_and_back_off_exponentially(studio_a, alice, settings):
    settings.VISAGE_INGEST_RETRY_FIRST_SECONDS, settings.VISAGE_INGEST_RETRY_MAX_SECONDS = 2, 16
    (photo,) = _photos(studio_a, alice, 1)
    for error in range(1, 8):  # more errors than attempts: none is spent
        claim = photos_claim(worker="w", limit=1, lease_seconds=60, max_attempts=3)
        assert claim.photo_ids == [photo.id]
        before = timezone.now()
        retry_at = photo_retry_later(photo_id=photo.id, token=claim.token, reason="S3 unreachable")
        photo.refresh_from_db()
        ceiling = min(16, 2 * 2 ** (error - 1))  # 2, 4, 8, 16, 16 … jittered between half and all
        waited = (retry_at - before).total_seconds()
        assert ceiling / 2 - 0.1 <= waited <= ceiling + 0.1, (error, waited)
        assert photo.state == PhotoState.QUEUED and photo.attempts == 0 and photo.transient_errors == error
        assert photo.retry_at == retry_at and "S3 unreachable" in photo.failure_reason
        assert photos_claim(worker="w", limit=1, lease_seconds=60) is None  # skipped until retry_at
        assert photos_waiting() == 0
        _due_now(photo)
    assert photos_waiting() == 1


def test_a_claim_skips_photos_waiting_out_a_backoff_but_takes_the_others(studio_a, alice):
    first, second = _photos(studio_a, alice, 2)
    claim = photos_claim(worker="w", limit=1, lease_seconds=60)
    photo_retry_later(photo_id=first.id, token=claim.token, reason="storage away")
    assert photos_claim(worker="w", limit=5, lease_seconds=60).photo_ids == [second.id]


def test_transient_errors_end_failed_with_their_code_only_after_the_patience(studio_a, alice, settings, monkeypatch):
    settings.VISAGE_INGEST_RETRY_PATIENCE_SECONDS = 600
    (photo,) = _photos(studio_a, alice, 1)
    claim = photos_claim(worker="w", limit=1, lease_seconds=60)
    photo_retry_later(photo_id=photo.id, token=claim.token, reason="storage away")
    Photo.objects.filter(id=photo.id).update(transient_since=timezone.now() - timedelta(seconds=599))
    _due_now(photo)
    claim = photos_claim(worker="w", limit=1, lease_seconds=60)
    assert photo_retry_later(photo_id=photo.id, token=claim.token, reason="storage away") is not None  # 599 s < 600
    Photo.objects.filter(id=photo.id).update(transient_since=timezone.now() - timedelta(seconds=601))
    _due_now(photo)
    claim = photos_claim(worker="w", limit=1, lease_seconds=60)
    assert photo_retry_later(photo_id=photo.id, token=claim.token, reason="EndpointConnectionError") is None
    photo.refresh_from_db()
    assert photo.state == PhotoState.FAILED and photo.failure_code == PhotoFailure.TRANSIENT
    assert "unavailable for 10 min" in photo.failure_reason and "EndpointConnectionError" in photo.failure_reason
    monkeypatch.setattr("recognition.ingest.reconcile.ingest_wake", lambda photos: 1)  # the photo has no real original
    assert reconcile(check_storage=False).requeued == 1  # storage answers again (its probe did not raise)
    photo.refresh_from_db()
    assert photo.state == PhotoState.QUEUED and photo.attempts == 0 and photo.transient_errors == 0


def test_a_stale_owner_cannot_send_back_a_photo_it_lost(studio_a, alice):
    (photo,) = _photos(studio_a, alice, 1)
    stale = photos_claim(worker="dead", limit=1, lease_seconds=60)
    Photo.objects.filter(id=photo.id).update(lease_until=timezone.now() - timedelta(seconds=1))
    photos_claim(worker="alive", limit=1, lease_seconds=60)
    assert photo_retry_later(photo_id=photo.id, token=stale.token, reason="late") is None
    photo.refresh_from_db()
    assert photo.state == PhotoState.PROCESSING and photo.claimed_by == "alive"


class _StorageAway:
    def open(self, *args, **kwargs):
        raise EndpointConnectionError(endpoint_url="http://s3.invalid")


def test_the_engine_sends_photos_back_without_spending_attempts_while_storage_is_away(studio_a, alice, monkeypatch):
    """Before: the engine released and re-claimed at once, spending three attempts in under a
    second, and the photos ended failed after a blip of storage."""
    from recognition.ingest import engine, loading

    photos = _photos(studio_a, alice, 3)
    monkeypatch.setattr(loading, "object_storage", lambda: _StorageAway())
    report = engine.ingest_run(budget_s=10, batch_size=2, pipeline=object())  # loading fails before the models
    assert report.released == 3 and report.failed == 0
    for photo in photos:
        photo.refresh_from_db()
        assert photo.state == PhotoState.QUEUED and photo.attempts == 0 and photo.transient_errors == 1
        assert photo.retry_at > timezone.now()


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

    from recognition.ingest.claims import LeaseKeeper

    _photos(studio_a, alice, 2)
    held = photos_claim(worker="slow", limit=1, lease_seconds=2)
    dropped = photos_claim(worker="dead", limit=1, lease_seconds=2)
    with LeaseKeeper(lease_seconds=2) as keeper:
        keeper.hold(held)
        time.sleep(3)  # longer than the lease
        assert photos_waiting() == 1  # only the unrenewed claim ran out
        again = photos_claim(worker="other", limit=5, lease_seconds=2)
    assert again.photo_ids == dropped.photo_ids


def _s3_error(status: int, code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
                       "PutObject")


@pytest.mark.parametrize(("error", "transient"), [
    (lambda: _s3_error(503, "SlowDown"), True),
    (lambda: _s3_error(500, "InternalError"), True),
    (lambda: _s3_error(404, "NoSuchKey"), False),
    (lambda: _s3_error(403, "AccessDenied"), False),
    (lambda: EndpointConnectionError(endpoint_url="http://s3"), True),
    (lambda: ReadTimeoutError(endpoint_url="http://s3"), True),
    (lambda: ConnectionResetError(104, "reset"), True),
    (lambda: OperationalError("server closed the connection unexpectedly"), True),
    (lambda: IntegrityError("duplicate key"), False),
    (lambda: ValueError("broken JPEG"), False),
])
def test_which_errors_are_the_infrastructures_fault(error, transient):
    from events.transient import is_transient

    assert is_transient(error()) is transient


def test_a_storage_error_while_storing_previews_is_transient(studio_a, alice, monkeypatch):
    """Before: S3 answering 503 to the preview upload failed the photo for good."""
    from types import SimpleNamespace

    from PIL import Image

    from recognition.ingest import loading

    (photo,) = _photos(studio_a, alice, 1)
    monkeypatch.setattr(loading, "object_storage", lambda: SimpleNamespace(open=lambda *a, **k: io.BytesIO(b"jpeg")))
    decoded = SimpleNamespace(decoded=SimpleNamespace(image=Image.new("RGB", (64, 48))))
    pipeline = SimpleNamespace(prepare=lambda raw: decoded)

    def store_refused(**kwargs):
        raise _s3_error(503, "SlowDown")

    monkeypatch.setattr(loading, "derivatives_store", store_refused)
    loaded = loading.load_photo(photo, pipeline)
    assert loaded.failure == "" and "SlowDown" in loaded.transient


def test_a_database_error_while_storing_a_batch_sends_it_back_without_spending_attempts(studio_a, alice, monkeypatch):
    """Before: the error escaped the task and the photos waited out their lease, an attempt spent."""
    from recognition.ingest import engine
    from recognition.ingest.loading import LoadedPhoto

    _photos(studio_a, alice, 2)
    claim = photos_claim(worker="w", limit=2, lease_seconds=60)

    def connection_lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(engine, "store_batch", connection_lost)
    report = engine.RunReport()
    engine._process(claim, [LoadedPhoto(photo=photo) for photo in claim.photos], object(), report)
    assert report.released == 2
    for photo in Photo.objects.filter(id__in=claim.photo_ids):
        assert photo.state == PhotoState.QUEUED and photo.attempts == 0 and photo.retry_at > timezone.now()
        assert "could not store the results (OperationalError" in photo.failure_reason


def test_the_task_wakes_workers_when_the_earliest_backoff_ends(studio_a, alice, monkeypatch):
    from recognition.ingest import worker as tasks
    from recognition.ingest.engine import RunReport

    (photo,) = _photos(studio_a, alice, 1)
    Photo.objects.filter(id=photo.id).update(retry_at=timezone.now() + timedelta(seconds=30))
    woken = []
    monkeypatch.setattr(tasks, "ingest_run", lambda: RunReport(released=1))
    monkeypatch.setattr(tasks, "ingest_wake", lambda **kwargs: woken.append(kwargs))
    tasks.ingest_run_task()
    assert len(woken) == 1 and 28 < woken[0]["countdown"] <= 30
