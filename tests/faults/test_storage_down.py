"""Fault 3: object storage (an S3 server) is down during an upload: a clear 503, nothing
half-stored (no row without its object), and the retry succeeds."""
from core.storage import object_storage
from events.models import Photo
from tests.faults.helpers import PHOTOS, as_upload


def test_upload_while_storage_is_down_is_503_and_stores_nothing(s3_server, as_alice):
    event_id = as_alice.post("/api/v1/events/", {"name": "Storage down"}).json()["id"]
    first, second = PHOTOS[0], PHOTOS[1]
    assert as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(first)]},
                         format="multipart").status_code == 201
    s3_server.stop()

    response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(second)]}, format="multipart")
    assert response.status_code == 503, response.content
    assert "storage is unavailable" in response.content.decode() and second.name in response.content.decode()
    assert list(Photo.objects.filter(event_id=event_id).values_list("original_filename", flat=True)) == [first.name]

    s3_server.start()
    retry = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(first), as_upload(second)]},
                          format="multipart")
    assert retry.status_code == 201, retry.content
    assert [r["status"] for r in retry.json()["results"]] == ["duplicate", "created"]
    storage = object_storage()
    for photo in Photo.objects.filter(event_id=event_id):  # no row without its object
        with storage.open(photo.original_key, "rb") as handle:
            assert handle.read() == (PHOTOS[0] if photo.original_filename == first.name else PHOTOS[1]).read_bytes()
