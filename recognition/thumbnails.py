"""Face thumbnails cut from the photo's preview (made once, then kept in storage)."""
import io

from django.core.files.base import ContentFile
from PIL import Image

from events.derivatives import open_original_for_display
from events.storage import derivative_key, object_storage
from recognition.models import Face

FACE_THUMB_SIDE = 200
MARGIN = 0.35  # of the box size on each side: hair and chin make a face recognisable


def face_crop(face: Face, *, side: int = FACE_THUMB_SIDE) -> Image.Image:
    photo = face.photo
    image = open_original_for_display(photo, max(side * 4, 800))
    sx, sy = image.width / photo_display_width(photo), image.height / photo_display_height(photo)
    box = square_inside(face.box, photo_display_width(photo), photo_display_height(photo))
    crop = image.crop(tuple(round(v * scale) for v, scale in zip(box, (sx, sy, sx, sy))))
    return crop.resize((side, side), Image.Resampling.LANCZOS)


def square_inside(box, width: float, height: float, margin: float = MARGIN) -> tuple[float, float, float, float]:
    """A square around the face with margin, shrunk and shifted to stay inside the photo
    (a face at the edge of a tight portrait gets less margin, never a black band)."""
    x1, y1, x2, y2 = box
    half = min(max(x2 - x1, y2 - y1) * (0.5 + margin), width / 2, height / 2)
    cx = min(max((x1 + x2) / 2, half), width - half)
    cy = min(max((y1 + y2) / 2, half), height - half)
    return cx - half, cy - half, cx + half, cy + half


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
