"""A guest's HEIC selfie (an iPhone's default format; made from a real photo with pillow-heif at
test time) is read like a JPEG one: it finds that guest's photos and no one else's."""
from events.models import Photo
from sharing.models import Scope
from tests.factories import FACES_DIR
from tests.heic import heic_bytes, heic_claiming
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
