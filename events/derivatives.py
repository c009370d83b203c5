"""Web previews and thumbnails: EXIF orientation applied, originals never touched.

The ingest engine renders both from the one reduced decode it also detects faces on.
"""
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from events.models import Photo
from core.storage import derivative_key, object_storage
from core.images import to_rgb

JPEG_QUALITY = 85
# Pillow's BILINEAR resize is area-aware when shrinking (its filter support grows with the
# ratio), so it does not alias; measured on a 3000 px decode: 0.047 s vs 0.11 s for LANCZOS.
RESAMPLE = Image.Resampling.BILINEAR


def _fit(image: Image.Image, long_side: int) -> Image.Image:
    ratio = min(1.0, long_side / max(image.size))
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image if size == image.size else image.resize(size, RESAMPLE, reducing_gap=2.0)


def _jpeg(image: Image.Image, *, progressive: bool) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, progressive=progressive)
    return out.getvalue()


def render_derivatives(image: Image.Image, *, preview_side: int, thumbnail_side: int) -> dict[str, bytes]:
    """Preview and thumbnail JPEGs from one upright RGB decode (the thumbnail from the preview)."""
    preview = _fit(image, preview_side)
    return {"preview": _jpeg(preview, progressive=True),
            "thumbnail": _jpeg(_fit(preview, thumbnail_side), progressive=False)}


def derivatives_store(*, photo: Photo, renders: dict[str, bytes]) -> dict[str, str]:
    """Save rendered derivatives; returns ``{"preview_key": …, "thumbnail_key": …}`` for the row.

    Keys are fixed per photo, so a retry overwrites what an earlier attempt left.
    """
    storage = object_storage()
    keys = {}
    for kind, data in renders.items():
        key = derivative_key(studio_id=photo.studio_id, event_id=photo.event_id, photo_id=photo.id, kind=kind)
        if storage.exists(key):
            storage.delete(key)
        storage.save(key, ContentFile(data))
        keys[f"{kind}_key"] = key
    return keys


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
