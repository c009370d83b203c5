"""Face thumbnails cut from the photo's preview (made once, then kept in storage)."""
import io

from django.core.files.base import ContentFile
from PIL import Image

from events.derivatives import open_original_for_display
from events.storage import derivative_key, object_storage
from recognition.ml.facecrop import square_inside
from recognition.models import Face

FACE_THUMB_SIDE = 200


def face_crop(face: Face, *, side: int = FACE_THUMB_SIDE) -> Image.Image:
    photo = face.photo
    image = open_original_for_display(photo, max(side * 4, 800))
    sx, sy = image.width / photo_display_width(photo), image.height / photo_display_height(photo)
    box = square_inside(face.box, photo_display_width(photo), photo_display_height(photo))
    crop = image.crop(tuple(round(v * scale) for v, scale in zip(box, (sx, sy, sx, sy))))
    return crop.resize((side, side), Image.Resampling.LANCZOS)
