"""HEIC/HEIF uploads on real photos (made from ../shared/data with pillow-heif at test time): the
original kept byte for byte as image/heic, the EXIF orientation honoured, faces found and a person
formed; a HEIC whose header claims a bomb's size and a truncated one refused, nothing stored."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.storage import object_storage
from events.models import Photo, PhotoState, UploadRejection
from recognition.models import Face
from tests.factories import FACES_DIR
from tests.heic import heic_bytes, heic_claiming

PORTRAITS = FACES_DIR / "portraits"


@pytest.fixture
def event_id(as_alice):
    return as_alice.post("/api/v1/events/", {"name": "Phones only"}).json()["id"]



def stored_files(settings) -> list:
    return [path for path in (settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_heic_upload_is_kept_byte_for_byte_and_forms_a_person(as_alice, event_id, upload, face_pipeline):
    turned = heic_bytes(PORTRAITS / "obama.jpg", exif_orientation=6)  # stored sideways, the file says so
    files = [SimpleUploadedFile("IMG_0001.HEIC", turned, content_type="image/heic"),
             SimpleUploadedFile("IMG_0002.HEIC", heic_bytes(PORTRAITS / "obama2.jpg")),
             SimpleUploadedFile("obama3.jpg", (PORTRAITS / "obama3.jpg").read_bytes()),
             SimpleUploadedFile("IMG_0003.HEIC", heic_bytes(PORTRAITS / "biden.jpg"))]
    response = upload(as_alice, event_id, *files)
    assert response.status_code == 201, response.json()
    assert [r["status"] for r in response.json()["results"]] == ["created"] * 4

    photo = Photo.objects.get(original_filename="IMG_0001.HEIC")
    assert photo.content_type == "image/heic" and (photo.width, photo.height) == (910, 1137)  # upright
    original = as_alice.get(f"/api/v1/photos/{photo.id}/original")
    assert original["Content-Type"] == "image/heic"
    assert b"".join(original.streaming_content) == turned
    assert object_storage().open(photo.original_key).read() == turned

    photos = Photo.objects.filter(event_id=event_id)
    assert set(photos.values_list("state", flat=True)) == {PhotoState.DONE}
    preview = Image.open(io.BytesIO(b"".join(as_alice.get(f"/api/v1/photos/{photo.id}/preview").streaming_content)))
    assert preview.format == "JPEG" and preview.height > preview.width  # portrait, as the phone showed it
    assert Face.objects.filter(photo=photo).count() == 1

    people = as_alice.get(f"/api/v1/events/{event_id}/people/").json()
    obama = {face.person_id for face in Face.objects.filter(photo__original_filename__in=[
        "IMG_0001.HEIC", "IMG_0002.HEIC", "obama3.jpg"])}
    biden = {face.person_id for face in Face.objects.filter(photo__original_filename="IMG_0003.HEIC")}
    assert len(obama) == 1 and None not in obama, "the three Obama photos (two HEIC) form one person"
    assert biden.isdisjoint(obama)
    assert next(p for p in people if p["id"] in obama)["face_count"] == 3


def test_a_heic_claiming_a_bombs_size_is_refused_from_its_header(as_alice, event_id, upload, settings):
    bomb = heic_claiming(heic_bytes(PORTRAITS / "biden.jpg"), 60_000, 60_000)
    response = upload(as_alice, event_id, SimpleUploadedFile("bomb.heic", bomb))
    assert response.status_code == 400
    (result,) = response.json()["results"]
    assert result["status"] == "rejected"
    assert "60000×60000 pixels" in result["reason"] and "decompression bomb" in result["reason"]
    assert not Photo.objects.exists() and stored_files(settings) == []
    assert UploadRejection.objects.get(filename="bomb.heic").reason.startswith("the image is 60000×60000")


def test_a_truncated_heic_is_refused(as_alice, event_id, upload, settings):
    whole = heic_bytes(PORTRAITS / "obama2.jpg")
    response = upload(as_alice, event_id, SimpleUploadedFile("cut.heic", whole[: len(whole) * 2 // 3]),
                      SimpleUploadedFile("header-only.heic", whole[:120]))
    assert response.status_code == 400
    reasons = {r["filename"]: r["reason"] for r in response.json()["results"]}
    assert "damaged or truncated" in reasons["cut.heic"]
    assert "truncated" in reasons["header-only.heic"]
    assert not Photo.objects.exists() and stored_files(settings) == []
