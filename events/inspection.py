"""Decide whether an uploaded file is a photo we accept, and read its metadata.

Runs on the spooled temporary file; rejects with a reason a photographer can act on.
"""
import hashlib
import os
import struct
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from core.heif import HeifHeaderError, heif_brand, heif_content_type, heif_declared_size
from events.conf import uploads as uploads_config
from core.image_work import JpegWorkError, check_jpeg_work
from core.images import decode_check, decode_cost_bytes as _decode_cost_bytes, exif_without_decoding, jpeg_draft_scale
from core.sandbox import LimitExceeded, Limits, run_limited
from core.storage import CHUNK_SIZE
from events.image_headers import webp_declared_size

# Pillow format → content type (HEIF: image/heic or image/heif from its brand, core.heif). HEIC is
# opened by pillow-heif (registered in core.images); RAW needs plugins we do not ship: "unsupported".
ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "TIFF": "image/tiff",
                    "HEIF": "image/heif"}
_PILLOW_FORMATS = ["JPEG", "PNG", "WEBP", "TIFF", "HEIF"]  # MPO is found by the JPEG plugin
ACCEPTED_NAMES = "JPEG, PNG, WebP, TIFF or HEIC"
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL, _OFFSET_TIME_ORIGINAL, _ORIENTATION = 36867, 36881, 274


class RejectedFile(Exception):
    """The file is not stored; the message says why in words a user understands."""


class ImageTooLarge(RejectedFile):
    """Too many pixels, or too much memory to decode: refused from the header alone."""


@dataclass(frozen=True)
class PhotoInfo:
    sha256: str
    size: int
    content_type: str
    width: int
    height: int
    orientation: int
    taken_at: datetime | None


def sha256_of(fileobj: BinaryIO) -> str:
    fileobj.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(CHUNK_SIZE), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def inspect_photo(fileobj: BinaryIO, size: int) -> PhotoInfo:
    if size == 0:
        raise RejectedFile("the file is empty (0 bytes)")
    if size > uploads_config().max_upload_bytes:
        raise RejectedFile(size_limit_message())
    with open_bounded(fileobj, max_pixels=uploads_config().max_image_pixels,
                      budget_bytes=uploads_config().decode_budget_bytes):
        pass
    _check_decodes(fileobj)
    with _open_image(fileobj, max_pixels=uploads_config().max_image_pixels) as image:
        fmt, (width, height), exif = image.format, image.size, exif_without_decoding(image)
    fileobj.seek(0)
    return PhotoInfo(
        sha256=sha256_of(fileobj), size=size, content_type=_content_type(fmt, fileobj), width=width, height=height,
        orientation=int(exif.get(_ORIENTATION, 1) or 1), taken_at=_taken_at(exif),
    )


def _content_type(fmt: str, fileobj: BinaryIO) -> str:
    return heif_content_type(fileobj) if fmt == "HEIF" else ACCEPTED_FORMATS[fmt]


def size_limit_message() -> str:
    return f"the file is larger than the limit of {uploads_config().max_upload_bytes // (1024 * 1024)} MB"


def open_bounded(fileobj: BinaryIO, *, max_pixels: int, budget_bytes: int, draft_long_side: int | None = None
                 ) -> Image.Image:
    """Open an image reading only its header, and refuse it before any pixel is decoded when its
    dimensions pass `max_pixels` or decoding it would cost more than `budget_bytes` of memory.

    A 7 KB WebP can declare 177 megapixels: Pillow decodes WebP, PNG, TIFF and HEIF at full size
    (no draft mode), so their cost is known from the header alone and checked here. JPEG decodes at
    1/8 scale with draft, so a big JPEG stays cheap and the pixel limit bounds it.
    """
    declared = webp_declared_size(fileobj)
    if declared is not None:  # before Pillow opens it: opening a WebP already allocates its canvas
        _refuse_over_limits("WEBP", *declared, cost=declared[0] * declared[1] * 8, max_pixels=max_pixels,
                            budget_bytes=budget_bytes)
    declared = _heif_declared_size(fileobj)
    if declared is not None:  # before libheif parses it (core.heif): its own refusal names no cause
        _refuse_over_limits("HEIF", *declared, cost=declared[0] * declared[1] * 8, max_pixels=max_pixels,
                            budget_bytes=budget_bytes)
    image = _open_image(fileobj, max_pixels=max_pixels)
    try:
        _refuse_over_limits(image.format, *image.size, cost=decode_cost_bytes(image, draft_long_side=draft_long_side,
                                                                              fileobj=fileobj),
                            max_pixels=max_pixels, budget_bytes=budget_bytes)
    except RejectedFile:
        image.__exit__(None, None, None)  # releases the image, never the caller's file
        raise
    return image


def _heif_declared_size(fileobj: BinaryIO) -> tuple[int, int] | None:
    try:
        return heif_declared_size(fileobj)
    except HeifHeaderError as exc:
        raise RejectedFile(str(exc)) from None


def _refuse_over_limits(fmt: str, width: int, height: int, *, cost: int, max_pixels: int, budget_bytes: int) -> None:
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"the image is {width}×{height} pixels, over the limit of {max_pixels:,} (possible decompression bomb)")
    if cost > budget_bytes:
        raise ImageTooLarge(
            f"the image is {width}×{height} pixels of {fmt}, which would take {cost // 2**20:,} MB of memory "
            f"to decode (the limit is {budget_bytes // 2**20:,} MB); send a smaller image"
        )


def decode_cost_bytes(image: Image.Image, *, draft_long_side: int | None = None, fileobj: BinaryIO | None = None
                      ) -> int:
    """Peak memory to decode `image` and convert it to RGB, from its header (core.images); JPEG at
    the draft scale (1/8 without `draft_long_side`), with a progressive JPEG's coefficients and its
    scans counted from `fileobj` (refused beyond core.image_work.MAX_JPEG_SCANS)."""
    if image.format not in {"JPEG", "MPO"}:
        return _decode_cost_bytes(image)
    try:
        jpeg = check_jpeg_work(fileobj) if fileobj is not None else None
    except JpegWorkError as exc:
        raise ImageTooLarge(str(exc)) from None
    scale = 8 if draft_long_side is None else jpeg_draft_scale(max(image.size), draft_long_side)
    return _decode_cost_bytes(image, scale=scale, jpeg=jpeg)


def _open_image(fileobj: BinaryIO, *, max_pixels: int) -> Image.Image:
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fileobj, formats=_PILLOW_FORMATS)  # never probe formats we refuse anyway
    except Image.DecompressionBombError:
        raise ImageTooLarge("the image has too many pixels (possible decompression bomb)") from None
    except ValueError as exc:  # Pillow's cap on a PNG's compressed text or ICC profile (MAX_TEXT_CHUNK)
        raise RejectedFile(f"the image's metadata is too large to read ({exc})") from None
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError):
        other = _other_format(fileobj)
        if other:
            raise RejectedFile(f"unsupported image type {other}; send {ACCEPTED_NAMES}") from None
        if heif_brand(fileobj) is not None:  # libheif reads the whole file at open: a cut one fails here
            raise RejectedFile("the HEIC/HEIF image data is damaged or truncated") from None
        raise RejectedFile(f"the file is not an image we can read ({ACCEPTED_NAMES})") from None
    if image.format not in ACCEPTED_FORMATS:
        image.__exit__(None, None, None)  # releases the image, never the caller's file
        raise RejectedFile(f"unsupported image type {image.format}; send {ACCEPTED_NAMES}")
    width, height = image.size
    if width * height > max_pixels:
        image.__exit__(None, None, None)  # releases the image, never the caller's file
        raise ImageTooLarge(
            f"the image is {width}×{height} pixels, over the limit of {max_pixels:,} (possible decompression bomb)"
        )
    return image


def _other_format(fileobj: BinaryIO) -> str | None:
    """The name of a format we refuse (GIF, BMP…), from its signature only: nothing is opened."""
    fileobj.seek(0)
    prefix = fileobj.read(16)
    fileobj.seek(0)
    Image.init()
    return next((fmt for fmt in Image.ID if fmt not in _PILLOW_FORMATS and _accepts(fmt, prefix)), None)


def _accepts(fmt: str, prefix: bytes) -> bool:
    accept = Image.OPEN[fmt][1]
    try:
        return accept is not None and accept(prefix) is True
    except (struct.error, ValueError, IndexError):  # some plugins' signature checks need more bytes
        return False


def _check_decodes(fileobj: BinaryIO) -> None:
    """Decode the whole file cheaply (core.images.decode_check) in a child bounded by the decode
    budget and VISAGE_DECODE_CPU_SECONDS: a file's bytes can cost more than its header says."""
    path = getattr(fileobj, "name", None)
    source = path if isinstance(path, str) and os.path.isfile(path) else _read_all(fileobj)
    limits = Limits(cpu_seconds=uploads_config().decode_cpu_seconds, memory_bytes=uploads_config().decode_budget_bytes)
    try:
        run_limited(decode_check, source, limits=limits)
    except LimitExceeded as exc:
        raise ImageTooLarge(str(exc)) from None
    except ValueError as exc:
        raise RejectedFile(f"the image data is damaged or truncated ({exc})") from None


def _read_all(fileobj: BinaryIO) -> bytes:
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    return data


def _taken_at(exif: Image.Exif) -> datetime | None:
    raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL)
    if not raw:
        return None
    try:
        moment = datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = exif.get_ifd(_EXIF_IFD).get(_OFFSET_TIME_ORIGINAL)
    return moment.replace(tzinfo=_parse_offset(offset))


def _parse_offset(raw) -> timezone:
    """EXIF OffsetTimeOriginal is '+02:00'; without it the camera's clock is taken as UTC."""
    try:
        sign = -1 if str(raw)[0] == "-" else 1
        hours, minutes = str(raw)[1:6].split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    except (TypeError, ValueError, IndexError):
        return timezone.utc
