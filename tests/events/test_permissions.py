"""Two studios: charlie (studio B) must get 404 on every studio-A object; vera (viewer) only reads."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Event, Photo
from tests.factories import jpeg_bytes


@pytest.fixture
def photo(as_alice, django_capture_on_commit_callbacks):
    event_id = as_alice.post("/api/v1/events/", {"name": "A's wedding"}).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            f"/api/v1/events/{event_id}/photos/", {"files": [SimpleUploadedFile("a.jpg", jpeg_bytes())]}, format="multipart"
        )
    return Photo.objects.get(id=response.json()["results"][0]["photo"]["id"])


def studio_a_endpoints(photo):
    e, p = photo.event_id, photo.id
    files = {"files": [SimpleUploadedFile("x.jpg", jpeg_bytes(color=(1, 2, 3)))]}
    return [
        ("get", f"/api/v1/events/{e}/", None),
        ("patch", f"/api/v1/events/{e}/", {"name": "renamed"}),
        ("get", f"/api/v1/events/{e}/photos/", None),
        ("post", f"/api/v1/events/{e}/photos/", files),
        ("get", f"/api/v1/photos/{p}/", None),
        ("patch", f"/api/v1/photos/{p}/", {"hidden": False}),
        ("get", f"/api/v1/photos/{p}/original", None),
        ("get", f"/api/v1/photos/{p}/preview", None),
        ("get", f"/api/v1/photos/{p}/thumbnail", None),
    ]


def call(client, method, url, data):
    fmt = "multipart" if method == "post" else "json"
    return getattr(client, method)(url, data, format=fmt) if data is not None else getattr(client, method)(url)


def test_outsider_gets_404_on_every_endpoint(photo, as_charlie):
    for method, url, data in studio_a_endpoints(photo):
        response = call(as_charlie, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert Event.objects.get(id=photo.event_id).name == "A's wedding"
    assert Photo.objects.filter(event_id=photo.event_id).count() == 1


def test_outsider_list_shows_only_their_studio(photo, as_charlie):
    as_charlie.post("/api/v1/events/", {"name": "B's party"})
    names = [event["name"] for event in as_charlie.get("/api/v1/events/").json()["results"]]
    assert names == ["B's party"]


def test_member_reads_and_writes(photo, as_bob):
    for method, url, data in studio_a_endpoints(photo):
        response = call(as_bob, method, url, data)
        assert response.status_code in (200, 201), (method, url, response.status_code)


def test_viewer_reads_but_cannot_write(photo, as_vera):
    for method, url, data in studio_a_endpoints(photo):
        response = call(as_vera, method, url, data)
        expected = (403,) if method in ("post", "patch") else (200,)
        assert response.status_code in expected, (method, url, response.status_code)
    assert as_vera.post("/api/v1/events/", {"name": "nope"}).status_code == 403


def test_outsider_cannot_delete_and_viewer_cannot_either(photo, as_charlie, as_vera, as_bob):
    assert as_charlie.delete(f"/api/v1/events/{photo.event_id}/").status_code == 404
    assert as_vera.delete(f"/api/v1/events/{photo.event_id}/").status_code == 403
    assert as_bob.delete(f"/api/v1/events/{photo.event_id}/").status_code == 403  # photographers don't delete
    assert Event.objects.filter(id=photo.event_id).exists()


def test_owner_deletes_event_with_its_objects_and_key(photo, as_alice):
    from core.storage import object_storage

    storage = object_storage()
    assert storage.exists(photo.original_key)
    assert as_alice.delete(f"/api/v1/events/{photo.event_id}/").status_code == 204
    assert not Event.objects.filter(id=photo.event_id).exists()
    assert not storage.exists(photo.original_key) and not storage.exists(photo.preview_key)


def test_event_counters(photo, as_alice):
    counters = as_alice.get(f"/api/v1/events/{photo.event_id}/").json()["counters"]
    assert counters["photos_total"] == 1 and counters["photos_done"] == 1 and counters["photos_failed"] == 0
    assert {"faces", "people", "photos_pending"} <= set(counters)


def test_event_name_is_required(as_alice):
    response = as_alice.post("/api/v1/events/", {"name": "   "})
    assert response.status_code == 400 and "name" in response.json()["error"]["details"]
