"""Face thumbnails are cut from the photo's preview made at ingest, not from the original
(recognition/thumbnails.py): the people page never downloads a 20 MB original per face."""
import io

from PIL import Image

from core.storage import object_storage
from tests.recognition.helpers import detect_into_event


def test_a_face_thumbnail_comes_from_the_preview_and_is_kept(studio_a, alice, as_alice, pipeline):
    face = detect_into_event(studio_a, alice, ["portraits/obama.jpg"], pipeline)[0]
    storage = object_storage()
    assert face.photo.preview_key and storage.exists(face.photo.preview_key)
    storage.delete(face.photo.original_key)  # were it decoded, this GET would fail

    response = as_alice.get(f"/api/v1/faces/{face.id}/thumbnail")
    assert response.status_code == 200
    thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert thumbnail.format == "JPEG" and thumbnail.size == (200, 200)
    # a face, not a background corner: the crop's centre differs from its corners
    centre = thumbnail.convert("L").getpixel((100, 100))
    assert any(abs(centre - thumbnail.convert("L").getpixel(corner)) > 10 for corner in [(2, 2), (197, 2), (2, 197)])
