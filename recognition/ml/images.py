"""Decoding photos for face analysis: any common format in, an upright RGB PIL image out.

"Original coordinates" everywhere in recognition.ml mean pixels of the full-resolution image
after EXIF orientation has been applied (what a viewer shows), whatever size was decoded.
"""
from __future__ import annotations

import io
import os
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator, Union

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.heif import HeifHeaderError, heif_declared_size
from core.image_work import JpegWork, JpegWorkError, check_jpeg_work
from core.images import decode_cost_bytes, exif_without_decoding, jpeg_draft_scale, to_rgb  # to_rgb shared with events' derivatives
from core.sandbox import LimitExceeded, Limits, run_limited

# Where a caller passes no limit (direct use: scripts, tests): 150 MP covers 100 MP medium-format
# originals; beyond that a "photo" is more likely a decompression bomb. The face pipeline always
# passes its caller's MLConfig.max_pixels (VISAGE_MAX_IMAGE_PIXELS): what uploads accept, workers decode.
MAX_PIXELS = 150_000_000
# MTCNN's smallest detectable face is 12 px and our default minimum is 20 px.
MIN_SIDE = 20
EXIF_ORIENTATION_TAG = 0x0112
_limits: ContextVar[Limits | None] = ContextVar("decode_limits", default=None)
_RESULT_BYTES_PER_PIXEL = 10
# EXIF orientation value -> the transposition that makes the image upright (as ImageOps.exif_transpose).
_ORIENTATION_FIX = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}

ImageSource = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO, Image.Image]
# A long side in pixels, or a rule that picks it from the upright original size (read from the
# header before any pixel is decoded).
LongSide = Union[int, None, Callable[[tuple[int, int]], int | None]]


class ImageDecodeError(ValueError):
    """The input is not a usable image; ``reason`` says why in words."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class ImageTooCostly(ImageDecodeError):
    """Decoding would pass a limit (memory, CPU, JPEG scans): refused before or while decoding."""


@dataclass
class DecodedImage:
    """An upright RGB image and how it maps onto the original's pixel grid."""

    image: Image.Image
    original_size: tuple[int, int]

    @property
    def scale(self) -> tuple[float, float]:
        """Original pixels per decoded pixel, per axis (x, y)."""
        return (self.original_size[0] / self.image.width, self.original_size[1] / self.image.height)

    def to_original(self, points: np.ndarray) -> np.ndarray:
        """Map (..., 2) points, or (..., 4) boxes, from decoded to original coordinates."""
        points = np.asarray(points, dtype=np.float64)
        factors = np.resize(np.array(self.scale), points.shape[-1])
        return points * factors


def read_source(source: ImageSource) -> bytes | Image.Image:
    """The raw bytes of a path, bytes-like or file object (PIL images pass through)."""
    if isinstance(source, Image.Image):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise ImageDecodeError(f"cannot read file {os.fspath(source)}: {exc.strerror or exc}") from exc
    if hasattr(source, "read"):
        data = source.read()
        return data if isinstance(data, bytes) else bytes(data)
    raise TypeError(f"unsupported image source: {type(source).__name__}")


@contextmanager
def decode_limits(*, cpu_seconds: float, memory_bytes: int) -> Iterator[Limits]:
    """Every decode inside shares these limits (a guest's selfie: all its decodes together)."""
    token = _limits.set(Limits(cpu_seconds=cpu_seconds, memory_bytes=memory_bytes))
    try:
        yield _limits.get()
    finally:
        _limits.reset(token)


def decode(source: ImageSource, *, long_side: LongSide = None, max_pixels: int | None = None,
           limits: tuple[float, int] | None = None, once_bounded: bool = False) -> DecodedImage:
    """Decode to upright RGB; with ``long_side``, no larger than that (JPEG uses draft decoding).

    Under limits (decode_limits around the call, else ``limits``: CPU seconds, memory bytes) the header is checked here against the memory
    budget and the JPEG scan limit, and the pixels are decoded in a child that cannot pass them.
    ``once_bounded``: these bytes were already decoded in a child under the limits. What a hostile
    file inflates (entropy decoding of repeated scans) costs the same at any scale and was paid
    there; a larger scale adds only work in proportion to the pixels the header bounds, so the
    decode runs here, after the same memory check (bringing a 24 MP decode back through the pipe
    cost ~0.5 s a photo).
    """
    raw = read_source(source)
    limits = _limits.get() or (Limits(*limits) if limits else None)
    if isinstance(raw, Image.Image) or limits is None:
        if not isinstance(raw, Image.Image):
            _jpeg_work(raw)  # no child to stop it: refuse the repeated scans at least
        return _decode_pixels(raw, long_side=long_side, max_pixels=max_pixels)
    plan = decode_plan(raw, long_side=long_side, max_pixels=max_pixels)
    if plan.cost_bytes > limits.memory_bytes:
        raise ImageTooCostly(f"the image would take {plan.cost_bytes // 2**20:,} MB of memory to decode "
                             f"(the limit is {limits.memory_bytes // 2**20:,} MB)")
    if once_bounded:
        return _decode_pixels(raw, long_side=plan.long_side, max_pixels=max_pixels)
    try:
        return run_limited(_decode_pixels, raw, plan.long_side, max_pixels or MAX_PIXELS, limits=limits,
                           memory_bytes=limits.memory_bytes - plan.result_bytes)
    except LimitExceeded as exc:
        raise ImageTooCostly(str(exc)) from None


@dataclass(frozen=True)
class DecodePlan:
    long_side: int | None
    cost_bytes: int  # the peak of the whole decode: the child's and the result's here
    result_bytes: int  # the part of it this process holds when the decoded image comes back


def decode_plan(raw: bytes, *, long_side: LongSide = None, max_pixels: int | None = None) -> DecodePlan:
    """What decoding `raw` costs, from its header alone; ImageTooCostly past the JPEG scan limit."""
    image = _open(raw, max_pixels=max_pixels or MAX_PIXELS)
    _check_size(image, max_pixels or MAX_PIXELS)
    jpeg = _jpeg_work(raw)
    if callable(long_side):
        long_side = long_side(_oriented_size(image.size, _header_orientation(image)))
    scale = jpeg_draft_scale(max(image.size), long_side) if image.format in {"JPEG", "MPO"} else 1
    # The decoded image comes back through a pipe: its pickle, its bytes and the image, ~10 bytes
    # a pixel at the peak here (measured: 24 MiB for 1600×1600).
    result = _fitted_pixels(image.size, long_side) * _RESULT_BYTES_PER_PIXEL
    return DecodePlan(long_side=long_side, cost_bytes=decode_cost_bytes(image, scale=scale, jpeg=jpeg) + result,
                      result_bytes=result)


def _header_orientation(image: Image.Image) -> int:
    """EXIF orientation read without decoding a pixel (core.images.exif_without_decoding)."""
    try:
        return int(exif_without_decoding(image).get(EXIF_ORIENTATION_TAG, 1) or 1)
    except Exception:  # noqa: BLE001 - damaged EXIF must not make a good photo unreadable
        return 1


def _fitted_pixels(size: tuple[int, int], long_side: int | None) -> int:
    width, height = size
    ratio = 1.0 if long_side is None else min(1.0, long_side / max(width, height))
    return round(width * ratio + 1) * round(height * ratio + 1)


def _jpeg_work(raw: bytes) -> JpegWork | None:
    try:
        return check_jpeg_work(io.BytesIO(raw))
    except JpegWorkError as exc:
        raise ImageTooCostly(str(exc)) from None


def _decode_pixels(raw: bytes | Image.Image, long_side: LongSide = None, max_pixels: int | None = None
                   ) -> DecodedImage:
    image = raw if isinstance(raw, Image.Image) else _open(raw, max_pixels=max_pixels or MAX_PIXELS)
    _check_size(image, max_pixels or MAX_PIXELS)
    orientation = _orientation(image)
    original_size = _oriented_size(image.size, orientation)
    if callable(long_side):
        long_side = long_side(original_size)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit applies
            if long_side is not None:
                _draft(image, long_side)
            image.load()
            rgb = to_rgb(image)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageDecodeError(f"corrupt or truncated image data ({exc})") from exc
    for step in _ORIENTATION_FIX.get(orientation, []):
        rgb = rgb.transpose(step)
    if long_side is not None and max(rgb.size) > long_side:
        rgb = fit_long_side(rgb, long_side)
    return DecodedImage(image=rgb, original_size=original_size)


def load_image(source: ImageSource, *, max_pixels: int | None = None) -> Image.Image:
    """The full-resolution upright RGB image."""
    return decode(source, max_pixels=max_pixels).image


def _open(data: bytes, *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    if not data:
        raise ImageDecodeError("empty file")
    try:  # a HEIF's size from its boxes, before libheif parses it (core.heif)
        declared = heif_declared_size(io.BytesIO(data))
    except HeifHeaderError as exc:
        raise ImageDecodeError(f"corrupt image header ({exc})") from exc
    if declared is not None and declared[0] * declared[1] > max_pixels:
        raise ImageDecodeError(f"decompression bomb: {declared[0]}x{declared[1]} px is over the limit of "
                               f"{max_pixels} pixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageDecodeError(f"decompression bomb: {exc}") from exc
    except ValueError as exc:  # Pillow's cap on a PNG's compressed text or ICC profile chunk
        raise ImageDecodeError(f"oversized metadata ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise ImageDecodeError("not an image (unknown or unsupported format)") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageDecodeError(f"corrupt image header ({exc})") from exc


def _check_size(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise ImageDecodeError(
            f"decompression bomb: {width}x{height} px is over the limit of {max_pixels} pixels")
    if min(width, height) < MIN_SIDE:
        raise ImageDecodeError(f"image too small: {width}x{height} px (need at least {MIN_SIDE} px a side)")


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(EXIF_ORIENTATION_TAG, 1))
    except Exception:  # noqa: BLE001 - damaged EXIF must not make a good photo unreadable
        return 1


def _oriented_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def _draft(image: Image.Image, long_side: int) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still covers ``long_side``."""
    if image.format != "JPEG" or max(image.size) <= long_side:
        return
    ratio = long_side / max(image.size)
    image.draft("RGB", (max(1, round(image.width * ratio)), max(1, round(image.height * ratio))))


def fit_long_side(image: Image.Image, long_side: int) -> Image.Image:
    ratio = long_side / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
