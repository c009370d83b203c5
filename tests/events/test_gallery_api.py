"""The studio gallery through the API: sort, filters and their count, bulk hide, a zip of selected
originals; two studios, so another studio's ids are a 404 or left out, never acted on."""
import io
import zipfile
from datetime import datetime, timezone

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Event, Photo, PhotoState
from events.services import photos_upload
from tests.factories import FACES_DIR
from tests.factories.events import EventFactory, PhotoFactory
from tests.factories.recognition import FaceFactory, PersonFactory


def at(hour: int) -> datetime:
    return datetime(2026, 6, 20, hour, tzinfo=timezone.utc)


@pytest.fixture
def gallery(studio_a):
    """Uploaded in this order: b (taken 14:00), no-exif, a (taken 12:00), failed, hidden (taken 13:00)."""
    event = EventFactory(studio=studio_a, name="Wedding")
    photos = {
        "b": PhotoFactory(event=event, original_filename="deepface-image-b-long-name.jpg", taken_at=at(14)),
        "no_exif": PhotoFactory(event=event, original_filename="scan.jpg"),
        "a": PhotoFactory(event=event, original_filename="a.jpg", taken_at=at(12)),
        "failed": PhotoFactory(event=event, original_filename="broken.jpg", state=PhotoState.FAILED,
                               failure_reason="The file ends early (truncated JPEG)."),
        "hidden": PhotoFactory(event=event, original_filename="hidden.jpg", taken_at=at(13), hidden=True),
    }
    ana = PersonFactory(event=event, name="Ana")
    FaceFactory(photo=photos["a"], person=ana)
    FaceFactory(photo=photos["hidden"], person=ana)
    FaceFactory(photo=photos["b"])  # a face nobody is named for
    return event, photos, ana


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [photo["original_filename"] for photo in response.json()["results"]]


def test_default_sort_is_capture_time_then_upload_order(gallery, as_alice):
    event, _photos, _ana = gallery
    got = as_alice.get(f"/api/v1/events/{event.id}/photos/")
    assert names(got) == ["a.jpg", "hidden.jpg", "deepface-image-b-long-name.jpg", "scan.jpg", "broken.jpg"]
    assert got.json()["count"] == 5
    assert names(as_alice.get(f"/api/v1/events/{event.id}/photos/?sort=upload")) == [
        "deepface-image-b-long-name.jpg", "scan.jpg", "a.jpg", "broken.jpg", "hidden.jpg"]


@pytest.mark.parametrize(("query", "expected"), [
    ("hidden=true", ["hidden.jpg"]),
    ("hidden=false", ["a.jpg", "deepface-image-b-long-name.jpg", "scan.jpg", "broken.jpg"]),
    ("state=failed", ["broken.jpg"]),
    ("faces=none", ["scan.jpg"]),  # processed photos without a face: the failed one is not "no faces"
    ("faces=some", ["a.jpg", "hidden.jpg", "deepface-image-b-long-name.jpg"]),
    ("hidden=false&faces=some", ["a.jpg", "deepface-image-b-long-name.jpg"]),
])
def test_filters_and_their_count(gallery, as_alice, query, expected):
    event, _photos, _ana = gallery
    got = as_alice.get(f"/api/v1/events/{event.id}/photos/?{query}")
    assert names(got) == expected and got.json()["count"] == len(expected)


def test_person_filter_and_failure_reason(gallery, as_alice):
    event, _photos, ana = gallery
    assert names(as_alice.get(f"/api/v1/events/{event.id}/photos/?person={ana.id}")) == ["a.jpg", "hidden.jpg"]
    failed = as_alice.get(f"/api/v1/events/{event.id}/photos/?state=failed").json()["results"][0]
    assert failed["failure_reason"] == "The file ends early (truncated JPEG)."


def test_another_studios_person_finds_nothing(gallery, studio_b, as_alice):
    event, _photos, _ana = gallery
    stranger = PersonFactory(event=EventFactory(studio=studio_b))
    got = as_alice.get(f"/api/v1/events/{event.id}/photos/?person={stranger.id}")
    assert names(got) == [] and got.json()["count"] == 0


@pytest.mark.parametrize("query", ["sort=name", "hidden=maybe", "state=lost", "faces=many", "person=x", "page_size=201"])
def test_bad_query_is_a_400_naming_the_parameter(gallery, as_alice, query):
    event, _photos, _ana = gallery
    got = as_alice.get(f"/api/v1/events/{event.id}/photos/?{query}")
    assert got.status_code == 400 and query.split("=")[0] in got.json()["error"]["details"]


def test_paging_keeps_the_filtered_count(gallery, as_alice):
    event, _photos, _ana = gallery
    first = as_alice.get(f"/api/v1/events/{event.id}/photos/?hidden=false&page_size=3").json()
    second = as_alice.get(f"/api/v1/events/{event.id}/photos/?hidden=false&page_size=3&page=2").json()
    assert first["count"] == second["count"] == 4 and len(first["results"]) == 3 and len(second["results"]) == 1


def test_bulk_hide_then_count_follows(gallery, as_alice, as_bob):
    event, photos, _ana = gallery
    ids = [photos["a"].id, photos["b"].id]
    got = as_bob.post(f"/api/v1/events/{event.id}/photos/hide/", {"photo_ids": ids, "hidden": True}, format="json")
    assert got.status_code == 200 and got.json() == {"hidden": True, "photo_ids": sorted(ids)}
    assert set(Photo.objects.filter(hidden=True).values_list("id", flat=True)) == {*ids, photos["hidden"].id}
    assert as_alice.get(f"/api/v1/events/{event.id}/photos/?hidden=false").json()["count"] == 2
    back = as_alice.post(f"/api/v1/events/{event.id}/photos/hide/", {"photo_ids": ids, "hidden": False}, format="json")
    assert back.json()["photo_ids"] == sorted(ids) and not Photo.objects.filter(id__in=ids, hidden=True).exists()


def test_bulk_hide_needs_a_sharing_role(gallery, as_vera):
    event, photos, _ana = gallery
    got = as_vera.post(f"/api/v1/events/{event.id}/photos/hide/", {"photo_ids": [photos["a"].id], "hidden": True},
                       format="json")
    assert got.status_code == 403 and not Photo.objects.get(id=photos["a"].id).hidden


def test_bulk_hide_leaves_other_studios_photos_alone(gallery, studio_b, as_alice, as_charlie):
    event, photos, _ana = gallery
    theirs = PhotoFactory(event=EventFactory(studio=studio_b))
    got = as_alice.post(f"/api/v1/events/{event.id}/photos/hide/", {"photo_ids": [photos["a"].id, theirs.id],
                                                                     "hidden": True}, format="json")
    assert got.json()["photo_ids"] == [photos["a"].id]
    assert not Photo.objects.get(id=theirs.id).hidden
    # Charlie aims at A's event: a 404, as for a missing one, and nothing changes.
    for path in ("hide/", "download/"):
        assert as_charlie.post(f"/api/v1/events/{event.id}/photos/{path}", {"photo_ids": [photos["b"].id],
                                                                          "hidden": True}, format="json").status_code == 404
    assert as_charlie.get(f"/api/v1/events/{event.id}/photos/").status_code == 404
    assert not Photo.objects.get(id=photos["b"].id).hidden


def test_download_selected_is_a_zip_of_the_originals_byte_for_byte(studio_a, alice, as_alice, as_vera):
    """Real photos, uploaded; two under one name (in other cases), one left out of the selection."""
    event = EventFactory(studio=studio_a, name="Gala")
    files = {"IMG_1.JPG": FACES_DIR / "portraits/obama.jpg", "img_1.jpg": FACES_DIR / "portraits/biden.jpg",
             "left-out.jpg": FACES_DIR / "portraits/obama2.jpg"}
    outcomes = photos_upload(event=event, user=alice, files=[
        SimpleUploadedFile(name, path.read_bytes()) for name, path in files.items()])
    photos = {o.filename: o.photo for o in outcomes}
    Photo.objects.filter(id=photos["IMG_1.JPG"].id).update(taken_at=at(15))
    Photo.objects.filter(id=photos["img_1.jpg"].id).update(taken_at=at(11))
    got = as_vera.post(f"/api/v1/events/{event.id}/photos/download/",
                       {"photo_ids": [photos["IMG_1.JPG"].id, photos["img_1.jpg"].id]}, format="json")
    assert got.status_code == 200 and got["Content-Type"] == "application/zip"
    assert 'filename="Gala - 2 photos.zip"' in got["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(got.streaming_content)))
    assert archive.namelist() == ["img_1.jpg", "IMG_1 (2).JPG"]  # capture-time order, names kept apart
    assert archive.read("img_1.jpg") == files["img_1.jpg"].read_bytes()
    assert archive.read("IMG_1 (2).JPG") == files["IMG_1.JPG"].read_bytes()


def test_download_selected_from_a_plain_form(gallery, as_alice):
    """The page posts a form (the browser streams the file); the repeated field is the list."""
    event, photos, _ana = gallery
    got = as_alice.post(f"/api/v1/events/{event.id}/photos/download/", f"photo_ids={photos['a'].id}&photo_ids={photos['no_exif'].id}",
                        content_type="application/x-www-form-urlencoded")
    assert got.status_code == 200
    assert sorted(zipfile.ZipFile(io.BytesIO(b"".join(got.streaming_content))).namelist()) == ["a.jpg", "scan.jpg"]


def test_download_of_only_foreign_ids_is_a_404(gallery, studio_b, as_alice):
    event, _photos, _ana = gallery
    theirs = PhotoFactory(event=EventFactory(studio=studio_b))
    got = as_alice.post(f"/api/v1/events/{event.id}/photos/download/", {"photo_ids": [theirs.id]}, format="json")
    assert got.status_code == 404 and Event.objects.count() == 2


def test_focus_is_centred_without_faces(gallery, as_alice):
    event, _photos, _ana = gallery
    scan = next(p for p in as_alice.get(f"/api/v1/events/{event.id}/photos/?faces=none").json()["results"])
    assert scan["focus"] == {"x": 50.0, "y": 50.0}
