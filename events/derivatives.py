"""Web previews and thumbnails: EXIF orientation applied, originals never touched."""
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from events.models import Photo
from events.storage import derivative_key, object_storage
from recognition.ml.images import to_rgb

JPEG_QUALITY = 85


def render_derivative(image: Image.Image, long_side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def open_original_for_display(photo: Photo, long_side: int) -> Image.Image:
    """Decode at reduced size where the format allows (JPEG draft), upright and RGB."""
    with object_storage().open(photo.original_key, "rb") as fh:
        image = Image.open(fh)
        image.draft("RGB", (long_side, long_side))
        image = ImageOps.exif_transpose(image)
        if image.mode != "RGB":
            image = to_rgb(image)
        image.load()
    return image


def photo_derivatives_make(*, photo: Photo, preview_side: int, thumbnail_side: int) -> None:
    storage = object_storage()
    image = open_original_for_display(photo, preview_side)
    keys = {}
    for kind, side in (("preview", preview_side), ("thumbnail", thumbnail_side)):
        key = derivative_key(studio_id=photo.studio_id, event_id=photo.event_id, photo_id=photo.id, kind=kind)
        if storage.exists(key):
            storage.delete(key)  # a retry replaces what an earlier attempt left
        storage.save(key, ContentFile(render_derivative(image, side)))
        keys[kind] = key
    photo.preview_key, photo.thumbnail_key = keys["preview"], keys["thumbnail"]
    photo.save(update_fields=["preview_key", "thumbnail_key"])
