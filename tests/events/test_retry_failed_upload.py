"""A re-upload of a photo that failed (same SHA-256) retries it: before, it answered "duplicate"
and the photo stayed failed for good."""
from django.core.files.uploadedfile import SimpleUploadedFile

from core.storage import object_storage
from events.models import Photo, PhotoFailure, PhotoState
from recognition.ingest import worker
from tests.factories import jpeg_bytes

BYTES = jpeg_bytes(color=(40, 80, 120))


def _post(client, event_id):
    return client.post(f"/api/v1/events/{event_id}/photos/", {"files": [SimpleUploadedFile("a.jpg", BYTES)]},
                       format="multipart")


def _event_with_photo(client) -> tuple[int, Photo]:
    event_id = client.post("/api/v1/events/", {"name": "Retry"}).json()["id"]
    body = _post(client, event_id).json()
    return event_id, Photo.objects.get(id=body["results"][0]["photo"]["id"])


def test_a_reupload_of_a_failed_photo_queues_it_again_and_says_so(as_alice, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    woken = []
    # The wake goes through events.hooks.ingest_due to the engine's waker: record it instead of sending it.
    monkeypatch.setattr(worker, "ingest_wake", lambda photos, countdown=None: woken.append(photos))
    event_id, photo = _event_with_photo(as_alice)
    Photo.objects.filter(id=photo.id).update(state=PhotoState.FAILED, failure_code=PhotoFailure.TRANSIENT, attempts=3,
                                             failure_reason="the infrastructure stayed unavailable for 30 min")
    woken.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(as_alice, event_id)
    assert response.status_code == 200  # nothing new was created: the answer keeps its shape
    (result,) = response.json()["results"]
    assert result["status"] == "duplicate" and result["photo"]["id"] == photo.id
    assert result["photo"]["state"] == "queued" and result["photo"]["failure_reason"] == ""
    assert "which had failed (the infrastructure stayed unavailable" in result["reason"]
    assert "queued again" in result["reason"]
    photo.refresh_from_db()
    assert photo.state == PhotoState.QUEUED and photo.attempts == 0 and photo.failure_code == ""
    assert woken == [1]


def test_a_reupload_puts_back_an_original_storage_lost(as_alice):
    event_id, photo = _event_with_photo(as_alice)
    object_storage().delete(photo.original_key)
    Photo.objects.filter(id=photo.id).update(state=PhotoState.FAILED, failure_code=PhotoFailure.PERMANENT,
                                             failure_reason="the original is missing from storage")
    assert _post(as_alice, event_id).json()["results"][0]["photo"]["state"] == "queued"
    with object_storage().open(photo.original_key, "rb") as handle:
        assert handle.read() == BYTES


def test_a_reupload_of_a_done_photo_is_only_a_duplicate(as_alice):
    event_id, photo = _event_with_photo(as_alice)
    Photo.objects.filter(id=photo.id).update(state=PhotoState.DONE)
    (result,) = _post(as_alice, event_id).json()["results"]
    assert result["status"] == "duplicate" and result["photo"]["state"] == "done"
    assert "queued again" not in result["reason"]
