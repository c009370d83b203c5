"""Face-aware square tiles in the studio gallery: the focus the photos API gives keeps the stored
face boxes in view (no model runs for it), where a centre crop of a tall photo shows a suit."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.services import event_create, photos_upload
from recognition.ingest.worker import ingest_run_task
from recognition.ml.facecrop import faces_square, object_position
from recognition.models import Face
from tests.factories import FACES_DIR


def visible_square(focus: dict, width: float, height: float) -> tuple[float, float, float, float]:
    """What a browser shows of a `width`×`height` image in a square tile with `object-fit: cover`
    and `object-position: x% y%` (CSS Images 3: the offset is the percentage of the free room)."""
    side = min(width, height)
    left, top = (width - side) * focus["x"] / 100, (height - side) * focus["y"] / 100
    return left, top, left + side, top + side


def contains(outer, box) -> bool:
    return outer[0] <= box[0] + 0.5 and outer[1] <= box[1] + 0.5 and box[2] <= outer[2] + 0.5 and box[3] <= outer[3] + 0.5


def padded_portrait() -> bytes:
    """A portrait on top of a tall frame (1:3): what a full-length shot looks like to a centre crop."""
    portrait = Image.open(FACES_DIR / "portraits/obama.jpg").convert("RGB")
    tall = Image.new("RGB", (portrait.width, portrait.width * 3), (40, 44, 60))
    tall.paste(portrait, (0, 0))
    out = io.BytesIO()
    tall.save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.fixture
def tall_event(studio_a, alice, face_pipeline):
    event = event_create(studio=studio_a, user=alice, name="Tall photos")
    files = [SimpleUploadedFile("biden-full.jpg", (FACES_DIR / "portraits/biden.jpg").read_bytes()),
             SimpleUploadedFile("obama-padded.jpg", padded_portrait())]
    photos_upload(event=event, user=alice, files=files)
    ingest_run_task.apply()  # the real engine: decode, MTCNN, store boxes
    return event


def test_tall_photos_tiles_show_the_face_a_centre_crop_misses(tall_event, as_alice):
    photos = as_alice.get(f"/api/v1/events/{tall_event.id}/photos/?sort=upload").json()["results"]
    assert [p["state"] for p in photos] == ["done", "done"]
    for photo in photos:
        faces = list(Face.objects.filter(photo_id=photo["id"]))
        assert len(faces) == 1, photo["original_filename"]
        box = faces[0].box
        width, height = photo["width"], photo["height"]
        assert height > width * 2  # tall: a square tile shows less than half of it
        assert contains(visible_square(photo["focus"], width, height), box), (photo["focus"], box)
        assert not contains(visible_square({"x": 50, "y": 50}, width, height), box)  # what the centre crop cut off
        # The thumbnail (the same picture at 400 px) is what the tile shows: scale-free percentages.
        thumb = Image.open(io.BytesIO(b"".join(as_alice.get(photo["thumbnail_url"]).streaming_content)))
        assert abs(thumb.width / thumb.height - width / height) < 0.01


def test_no_faces_centre():
    assert faces_square([], 400, 1200) == (0, 400, 400, 800)
    assert object_position(faces_square([], 400, 1200), 400, 1200) == (50.0, 50.0)


def test_headroom_keeps_hair_and_a_square_photo_never_moves():
    square = faces_square([(150, 100, 250, 220)], 400, 1200)
    assert square[1] < 100 - 40 and contains(square, (150, 100, 250, 220))  # room above the brows
    assert object_position(faces_square([(0, 0, 10, 10)], 500, 500), 500, 500) == (50.0, 50.0)


def test_background_faces_do_not_pull_the_crop():
    bride, stranger = (100, 80, 300, 320), (10, 1100, 40, 1140)  # a tiny face at the bottom corner
    assert faces_square([bride, stranger], 400, 1200) == faces_square([bride], 400, 1200)
    couple = [(20, 600, 120, 720), (280, 800, 380, 920)]  # both in the square, with the headroom
    assert contains(faces_square(couple, 400, 1200), (20, 600 - 60, 380, 920))


def test_wide_photo_moves_sideways():
    x, y = object_position(faces_square([(1500, 200, 1700, 450)], 1800, 800), 1800, 800)
    assert x == 100.0 and y == 50.0
