"""Idempotency-Key: a retried POST replays the first answer and creates nothing twice."""
import threading
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from core.idempotency import idempotency_purge
from core.tenancy.models import IdempotencyRecord
from core.authentication import token_issue
from events import services
from events.models import Event, Photo
from events.services import event_create
from tests.api.helpers import key_client, new_key, real_photo

EVENTS = "/api/v1/events/"


def test_a_retried_upload_replays_the_first_answer_and_stores_one_photo(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    _, secret = new_key(studio_a, "upload", by=alice)
    client = key_client(secret, HTTP_IDEMPOTENCY_KEY="upload-7f1c")
    url = f"{EVENTS}{event.id}/photos/"

    first = client.post(url, {"files": [real_photo()]}, format="multipart")
    retry = client.post(url, {"files": [real_photo()]}, format="multipart")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry.json()["results"][0]["status"] == "created"  # not "duplicate"
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Photo.objects.count() == 1


def test_a_retried_create_returns_the_same_event(as_alice):
    first = as_alice.post(EVENTS, {"name": "Wedding"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    retry = as_alice.post(EVENTS, {"name": "Wedding"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert Event.objects.count() == 1
    other = as_alice.post(EVENTS, {"name": "Wedding"}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert other.status_code == 201 and Event.objects.count() == 2  # a new key is a new request


def test_the_same_key_for_another_request_is_422(as_alice, studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    as_alice.post(EVENTS, {"name": "One"}, format="json", HTTP_IDEMPOTENCY_KEY="reused")
    other_body = as_alice.post(EVENTS, {"name": "Two"}, format="json", HTTP_IDEMPOTENCY_KEY="reused")
    other_path = as_alice.post(f"{EVENTS}{event.id}/share-links/", {"scope": "selfie"}, format="json",
                               HTTP_IDEMPOTENCY_KEY="reused")
    for response in (other_body, other_path):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert list(Event.objects.order_by("id").values_list("name", flat=True)) == ["Gala", "One"]


def test_validation_errors_replay_too(as_alice):
    first = as_alice.post(EVENTS, {}, format="json", HTTP_IDEMPOTENCY_KEY="bad")
    retry = as_alice.post(EVENTS, {}, format="json", HTTP_IDEMPOTENCY_KEY="bad")
    assert first.status_code == retry.status_code == 400
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"


def test_a_server_error_is_not_kept_so_the_retry_runs(as_alice, studio_a, alice, monkeypatch):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    url = f"{EVENTS}{event.id}/photos/"
    real_upload = services.photos_upload

    def storage_down(**kwargs):
        raise services.StorageUnavailable("Object storage is unavailable.")

    monkeypatch.setattr(services, "photos_upload", storage_down)
    assert as_alice.post(url, {"files": [real_photo()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="u1").status_code == 503
    monkeypatch.setattr(services, "photos_upload", real_upload)
    retry = as_alice.post(url, {"files": [real_photo()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="u1")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    assert Photo.objects.count() == 1


def test_keys_are_private_to_each_caller(as_alice, as_bob, studio_a, alice):
    _, secret = new_key(studio_a, "upload", by=alice)
    for client in (as_alice, as_bob, key_client(secret)):
        assert client.post(EVENTS, {"name": "Same"}, format="json", HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    assert Event.objects.filter(name="Same").count() == 3


def test_an_unusable_key_is_400(as_alice):
    response = as_alice.post(EVENTS, {"name": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_idempotency_key"
    assert not Event.objects.exists()


def test_expired_records_are_purged_and_the_key_is_free_again(as_alice):
    as_alice.post(EVENTS, {"name": "Old"}, format="json", HTTP_IDEMPOTENCY_KEY="day-old")
    as_alice.post(EVENTS, {"name": "Fresh"}, format="json", HTTP_IDEMPOTENCY_KEY="fresh")
    IdempotencyRecord.objects.filter(key="day-old").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert idempotency_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    again = as_alice.post(EVENTS, {"name": "Old"}, format="json", HTTP_IDEMPOTENCY_KEY="day-old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_duplicate_gets_409_and_does_not_run(live_server, studio_a, alice, monkeypatch):
    """Two real requests on a live server: the second arrives while the first is still working."""
    started, release = threading.Event(), threading.Event()
    real_create = services.event_create

    def slow_create(**kwargs):
        started.set()
        assert release.wait(20)
        return real_create(**kwargs)

    monkeypatch.setattr(services, "event_create", slow_create)
    headers = {"Authorization": f"Token {token_issue(user=alice).key}", "Idempotency-Key": "race-1"}
    url, answers = live_server.url + EVENTS, {}

    def first():
        answers["first"] = requests.post(url, json={"name": "Raced"}, headers=headers, timeout=30)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert started.wait(20)
        duplicate = requests.post(url, json={"name": "Raced"}, headers=headers, timeout=30)
    finally:
        release.set()
        thread.join(30)
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "request_in_progress"
    assert answers["first"].status_code == 201
    replay = requests.post(url, json={"name": "Raced"}, headers=headers, timeout=30)
    assert replay.status_code == 201 and replay.json()["id"] == answers["first"].json()["id"]
    assert Event.objects.filter(name="Raced").count() == 1
