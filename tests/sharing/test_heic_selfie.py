"""A guest's HEIC selfie (an iPhone's default format; made from a real photo with pillow-heif at
test time) is read like a JPEG one: it finds that guest's photos and no one else's, at a phone's
12 MP too; a HEIC whose header claims too much is refused before any pixel is decoded."""
import pillow_heif
import pytest

from events.models import Photo
from sharing.models import Scope
from tests.factories import FACES_DIR
from tests.heic import heic_bytes, heic_claiming, phone_heic
from tests.recognition.helpers import detect_into_event
from tests.sharing.conftest import guest_client, make_link, search

EVENT_PHOTOS = ["portraits/obama.jpg", "portraits/obama2.jpg", "portraits/biden.jpg", "bbt/people/amy/amy2.png"]


def test_a_heic_selfie_finds_the_guests_photos(studio_a, alice, face_pipeline):
    faces = detect_into_event(studio_a, alice, EVENT_PHOTOS, face_pipeline)
    token = make_link(faces[0].event, scope=Scope.SELFIE).token
    selfie = heic_bytes(FACES_DIR / "portraits" / "obama3.jpg", exif_orientation=6)  # held upright

    response = search(guest_client(), token, selfie, name="IMG_4711.HEIC")

    assert response.status_code == 200, response.content
    found = set(Photo.objects.filter(id__in=[m["photo_id"] for m in response.json()["matches"]])
                .values_list("original_filename", flat=True))
    assert found == {"obama.jpg", "obama2.jpg"}


def test_a_heic_selfie_claiming_a_bombs_size_is_refused(studio_a, alice, face_pipeline):
    faces = detect_into_event(studio_a, alice, EVENT_PHOTOS[:1], face_pipeline)
    token = make_link(faces[0].event, scope=Scope.SELFIE).token
    bomb = heic_claiming(heic_bytes(FACES_DIR / "portraits" / "obama3.jpg"), 30_000, 30_000)

    response = search(guest_client(), token, bomb, name="IMG_4712.HEIC")

    assert response.status_code == 400, response.content
    assert "30000×30000" in response.json()["error"]["details"]["reason"]


@pytest.fixture(scope="module")
def phone_selfie() -> bytes:
    return phone_heic(FACES_DIR / "portraits" / "obama3.jpg")


def test_a_phones_12_mp_heic_selfie_finds_the_guests_photos(studio_a, alice, face_pipeline, phone_selfie):
    """With the default budget (VISAGE_SELFIE_DECODE_BUDGET_BYTES): 128 MiB refused it as too large."""
    heif = pillow_heif.open_heif(phone_selfie)
    assert heif.size == (3024, 4032) and heif.info["tiling"]["tile_width"] == 512
    assert (heif.info["bit_depth"], heif.info["chroma"]) == (8, 420)
    faces = detect_into_event(studio_a, alice, EVENT_PHOTOS, face_pipeline)
    token = make_link(faces[0].event, scope=Scope.SELFIE).token

    response = search(guest_client(), token, phone_selfie, name="IMG_4713.HEIC")

    assert response.status_code == 200, response.content
    found = set(Photo.objects.filter(id__in=[m["photo_id"] for m in response.json()["matches"]])
                .values_list("original_filename", flat=True))
    assert found == {"obama.jpg", "obama2.jpg"}


def test_a_heic_selfie_within_the_pixel_limit_but_over_the_memory_budget_is_refused(studio_a, alice, face_pipeline,
                                                                                   phone_selfie):
    """25 MP (under the 40 MP selfie limit) of HEIF would take ~190 MB: refused from its header."""
    faces = detect_into_event(studio_a, alice, EVENT_PHOTOS[:1], face_pipeline)
    token = make_link(faces[0].event, scope=Scope.SELFIE).token

    response = search(guest_client(), token, heic_claiming(phone_selfie, 5000, 5000), name="IMG_4714.HEIC")

    assert response.status_code == 400, response.content
    reason = response.json()["error"]["details"]["reason"]
    assert "5000×5000 pixels of HEIF" in reason and "memory" in reason and "the limit is 160 MB" in reason
