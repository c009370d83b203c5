"""Guest-facing bytes: previews (optionally watermarked), originals, and the streaming zip.

What a link allows is decided here, once: `download` = originals, previews or none.
"""
import io
from pathlib import PurePosixPath

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from events.derivatives import JPEG_QUALITY
from core.downloads import derivative_response, original_response
from core.downloads import zip_response as zip_download
from events.models import Photo
from core.storage import object_storage
from core.zipstream import ZipEntry, storage_entry
from sharing.errors import DownloadNotAllowed
from sharing.models import Download, ShareLink
from sharing.services.studio_settings import watermark_text

_PRIVATE = "private, max-age=300"  # a guest's own photos: never in shared caches


def preview_response(*, link: ShareLink, photo: Photo):
    if not link.watermark:
        response = derivative_response(photo, "preview")
    else:
        response = HttpResponse(watermarked_preview(photo=photo, text=watermark_text(studio=link.studio)), content_type="image/jpeg")
    response["Cache-Control"] = _PRIVATE
    return response


def original_download_response(*, link: ShareLink, photo: Photo):
    if link.download != Download.ORIGINALS:
        raise DownloadNotAllowed()
    response = original_response(photo)
    response["Cache-Control"] = _PRIVATE
    return response


def zip_response(*, link: ShareLink, photos: list[Photo]) -> StreamingHttpResponse:
    """All the guest's photos in one stored zip: originals, or previews for preview-only links."""
    if link.download == Download.NONE:
        raise DownloadNotAllowed()
    if not photos:
        raise Http404("There are no photos to download yet.")
    name = slugify(link.event.name) or "photos"
    response = zip_download([_entry(link, photo) for photo in photos], f"{name}-photos.zip")
    response["Cache-Control"] = "private, no-store"
    return response


def _entry(link: ShareLink, photo: Photo) -> ZipEntry:
    modified = photo.taken_at or photo.created_at
    if link.download == Download.ORIGINALS:
        return storage_entry(storage=object_storage(), key=photo.original_key, name=photo.original_filename,
                             size=photo.size, modified=modified)
    name = f"{PurePosixPath(photo.original_filename).stem}.jpg"
    if link.watermark:
        text = watermark_text(studio=link.studio)
        return ZipEntry(name=name, open=lambda: io.BytesIO(watermarked_preview(photo=photo, text=text)), modified=modified)
    return storage_entry(storage=object_storage(), key=photo.preview_key, name=name, modified=modified)


def watermarked_preview(*, photo: Photo, text: str) -> bytes:
    """The stored preview with the studio's name across it, drawn on each request (previews are
    ~1600 px, ~30 ms); the clean preview is never handed to the guest."""
    with object_storage().open(photo.preview_key, "rb") as fh:
        image = Image.open(fh).convert("RGBA")
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    font = ImageFont.load_default(size=max(18, image.width // 18))
    label = f"© {text}" if text else "©"
    box = draw.textbbox((0, 0), label, font=font)
    step_x, step_y = (box[2] - box[0]) + image.width // 6, (box[3] - box[1]) * 4
    for row, y in enumerate(range(0, image.height, max(1, step_y))):
        for x in range(-(row % 2) * step_x // 2, image.width, max(1, step_x)):
            draw.text((x, y), label, font=font, fill=(255, 255, 255, 70), stroke_width=1, stroke_fill=(0, 0, 0, 40))
    out = io.BytesIO()
    Image.alpha_composite(image, layer).convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()
