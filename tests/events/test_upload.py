"""Upload → original round trip, dedupe and every kind of bad input (filesystem storage)."""
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from events.models import Photo, PhotoState, UploadRejection
from core.storage import object_storage
from tests.factories import FACES_DIR, jpeg_bytes, png_bytes

OBAMA = FACES_DIR / "portraits" / "obama.jpg"
BBT_PNG = FACES_DIR / "bbt" / "people" / "amy" / "amy1.png"


@pytest.fixture
def event_id(as_alice):
    return as_alice.post("/api/v1/events/", {"name": "Wedding"}).json()["id"]



def real(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_upload_then_download_is_byte_identical(as_alice, event_id, upload):
    response = upload(as_alice, event_id, real(OBAMA), real(BBT_PNG))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 2 and body["rejected"] == 0
    for result, path in zip(body["results"], (OBAMA, BBT_PNG)):
        photo = result["photo"]
        original = as_alice.get(f"/api/v1/photos/{photo['id']}/original")
        assert original.status_code == 200
        assert b"".join(original.streaming_content) == path.read_bytes()
        assert original["Content-Disposition"].startswith("attachment") and path.name in original["Content-Disposition"]


def test_photo_records_metadata_and_tenant_prefixed_key(as_alice, event_id, studio_a, upload):
    upload(as_alice, event_id, real(OBAMA))
    photo = Photo.objects.get()
    with Image.open(OBAMA) as image:
        assert (photo.width, photo.height) == image.size
    assert photo.size == OBAMA.stat().st_size and photo.content_type == "image/jpeg"
    assert photo.original_filename == "obama.jpg"
    assert photo.taken_at.isoformat() == "2012-12-06T15:46:01+00:00"  # EXIF DateTimeOriginal
    assert photo.original_key.startswith(f"{studio_a.id}/events/{event_id}/originals/")


def test_listing_shows_state_and_sha256(as_alice, event_id, upload):
    upload(as_alice, event_id, real(OBAMA))
    listing = as_alice.get(f"/api/v1/events/{event_id}/photos/").json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert row["original_filename"] == "obama.jpg" and len(row["sha256"]) == 64 and row["state"] == "done"


def test_previews_are_made_with_exif_orientation_applied(as_alice, event_id, upload):
    exif = Image.Exif()
    exif[274] = 6  # stored landscape, displayed portrait (rotate 90° clockwise)
    response = upload(as_alice, event_id, SimpleUploadedFile("rot.jpg", jpeg_bytes(300, 200, exif=exif)))
    photo = Photo.objects.get(id=response.json()["results"][0]["photo"]["id"])
    assert photo.state == PhotoState.DONE and photo.orientation == 6
    with object_storage().open(photo.preview_key) as fh, Image.open(fh) as preview:
        assert preview.size == (200, 300)
    thumbnail = as_alice.get(f"/api/v1/photos/{photo.id}/thumbnail")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"


def test_same_bytes_twice_is_a_duplicate_not_a_second_photo(as_alice, event_id, upload):
    upload(as_alice, event_id, real(OBAMA))
    response = upload(as_alice, event_id, SimpleUploadedFile("copy-of-obama.jpg", OBAMA.read_bytes()))
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["status"] == "duplicate" and "obama.jpg" in result["reason"]
    assert Photo.objects.count() == 1


def test_same_bytes_in_another_event_is_a_new_photo(as_alice, event_id, upload):
    other = as_alice.post("/api/v1/events/", {"name": "Other"}).json()["id"]
    upload(as_alice, event_id, real(OBAMA))
    assert upload(as_alice, other, real(OBAMA)).json()["created"] == 1


def _truncated_jpeg() -> bytes:
    data = OBAMA.read_bytes()
    return data[: len(data) // 2]


def _bomb_png() -> bytes:
    """A tiny PNG whose header claims 60000×60000 pixels."""
    out = io.BytesIO()
    Image.new("1", (60000, 60000)).save(out, "PNG")
    return out.getvalue()


BAD_FILES = {
    "empty.jpg": (b"", "empty"),
    "notes.jpg": (b"this is a text file, not a photo\n" * 20, "not an image"),
    "cut.jpg": (_truncated_jpeg(), "truncated"),
    "bomb.png": (_bomb_png(), "decompression bomb"),
    "anim.gif": (None, "unsupported image type GIF"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_rejected_by_name_and_the_rest_of_the_batch_is_stored(as_alice, event_id, name, upload):
    content, reason = BAD_FILES[name]
    if content is None:
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, "GIF")
        content = out.getvalue()
    response = upload(as_alice, event_id, SimpleUploadedFile(name, content), real(OBAMA))
    assert response.status_code == 201
    bad, good = response.json()["results"]
    assert bad["status"] == "rejected" and bad["reason"].startswith(f"{name}:") and reason in bad["reason"]
    assert good["status"] == "created"
    assert list(Photo.objects.values_list("original_filename", flat=True)) == ["obama.jpg"]
    assert _stored_originals() == 1


def test_only_bad_files_is_400(as_alice, event_id, upload):
    response = upload(as_alice, event_id, SimpleUploadedFile("empty.jpg", b""))
    assert response.status_code == 400
    assert response.json()["results"][0]["status"] == "rejected"


@override_settings(VISAGE_MAX_UPLOAD_BYTES=50_000)
def test_file_over_size_limit_is_rejected_and_not_stored(as_alice, event_id, upload):
    big = SimpleUploadedFile("big.png", png_bytes(400, 400, "RGB") + b"\0" * 60_000)
    response = upload(as_alice, event_id, big, SimpleUploadedFile("small.jpg", jpeg_bytes()))
    big_result, small_result = response.json()["results"]
    assert big_result["status"] == "rejected" and "larger than the limit" in big_result["reason"]
    assert small_result["status"] == "created"
    assert _stored_originals() == 1


@override_settings(VISAGE_MAX_FILES_PER_REQUEST=2, DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_more_files_than_batch_limit_is_400_and_stores_nothing(as_alice, event_id, upload):
    files = [SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(color=(i, 0, 0))) for i in range(3)]
    response = upload(as_alice, event_id, *files)
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert response.json()["error"]["code"] == "too_many_files"
    assert "Too many files" in message and "limit is 2" in message
    assert Photo.objects.count() == 0 and _stored_originals() == 0


def test_no_files_field_is_400(as_alice, event_id):
    response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"other": "x"}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()["error"]["message"]


def _stored_originals() -> int:
    root = Path(object_storage().location)
    return sum(1 for path in root.rglob("*") if path.is_file() and path.parent.name == "originals")


def test_each_photo_records_how_it_came_in(as_alice, alice, event_id, upload, client):
    """The studio's live view shows a photo's source: the token API, the hot-folder client's header, the web page."""
    upload(as_alice, event_id, real(OBAMA))
    as_alice.credentials(HTTP_AUTHORIZATION=as_alice._credentials["HTTP_AUTHORIZATION"], HTTP_X_UPLOAD_SOURCE="hot-folder")
    upload(as_alice, event_id, real(BBT_PNG))
    client.force_login(alice)
    upload(client, event_id, SimpleUploadedFile("small.jpg", jpeg_bytes()))
    sources = dict(Photo.objects.values_list("original_filename", "source"))
    assert sources == {"obama.jpg": "api", "amy1.png": "hot_folder", "small.jpg": "web"}
    listing = as_alice.get(f"/api/v1/events/{event_id}/photos/").json()["results"]
    assert {row["original_filename"]: row["source"] for row in listing} == sources


def test_a_refused_file_is_logged_with_its_reason_and_nothing_stored(as_alice, event_id, upload):
    response = upload(as_alice, event_id, SimpleUploadedFile("notes.jpg", b"this is not an image at all"))
    assert response.status_code == 400
    assert not Photo.objects.exists()
    (rejection,) = UploadRejection.objects.all()
    assert (rejection.event_id, rejection.filename, rejection.source) == (event_id, "notes.jpg", "api")
    assert rejection.reason and rejection.reason in response.json()["results"][0]["reason"]
