"""Face thumbnails cut from the photo's preview (the upright JPEG made at ingest), not the original.

A face's thumbnail is rendered on its first request (the GET stores it: a write, of a derivative
only) and served from storage after that; deleting the photo or the event deletes it with the
other derivatives (the same key prefix).
"""
import io

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from events.derivatives import open_original_for_display
from core.storage import derivative_key, object_storage
from recognition.ml.facecrop import square_inside
from recognition.models import Face

FACE_THUMB_SIDE = 200


def face_crop(face: Face, *, side: int = FACE_THUMB_SIDE) -> Image.Image:
    photo = face.photo
    image = _display_image(photo, max(side * 4, 800))
    sx, sy = image.width / photo_display_width(photo), image.height / photo_display_height(photo)
    box = square_inside(face.box, photo_display_width(photo), photo_display_height(photo))
    crop = image.crop(tuple(round(v * scale) for v, scale in zip(box, (sx, sy, sx, sy))))
    return crop.resize((side, side), Image.Resampling.LANCZOS)


def _display_image(photo, long_side: int) -> Image.Image:
    """The preview when it has the pixels asked for (one small read); else a reduced decode of the
    original (a photo whose preview is not made yet, or a crop bigger than the preview allows)."""
    if photo.preview_key and long_side <= settings.VISAGE_PREVIEW_LONG_SIDE:
        with object_storage().open(photo.preview_key, "rb") as fh:
            image = Image.open(fh)
            image.load()
        return image.convert("RGB")
    return open_original_for_display(photo, long_side)


def photo_display_width(photo) -> int:
    return photo.height if photo.orientation in (5, 6, 7, 8) else photo.width


def photo_display_height(photo) -> int:
    return photo.width if photo.orientation in (5, 6, 7, 8) else photo.height


def face_thumbnail_key(face: Face) -> str:
    key = derivative_key(studio_id=face.studio_id, event_id=face.event_id, photo_id=face.photo_id, kind=f"face-{face.id}")
    storage = object_storage()
    if not storage.exists(key):
        out = io.BytesIO()
        face_crop(face).save(out, "JPEG", quality=88)
        storage.save(key, ContentFile(out.getvalue()))
    return key
