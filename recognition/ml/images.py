"""Decoding photos for face analysis: any common format in, an upright RGB PIL image out.

"Original coordinates" everywhere in recognition.ml mean pixels of the full-resolution image
after EXIF orientation has been applied (what a viewer shows), whatever size was decoded.
"""
from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from typing import BinaryIO, Callable, Union

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.images import to_rgb  # noqa: F401  (shared with events' derivatives; re-exported)

# 150 MP covers 100 MP medium-format originals; beyond that a "photo" is more likely a
# decompression bomb (a small file that expands to gigabytes of pixels). Inside Django the
# recognition app sets it to VISAGE_MAX_IMAGE_PIXELS, so what uploads accept, workers decode.
MAX_PIXELS = 150_000_000
# MTCNN's smallest detectable face is 12 px and our default minimum is 20 px.
MIN_SIDE = 20
EXIF_ORIENTATION_TAG = 0x0112
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


def decode(source: ImageSource, *, long_side: LongSide = None,
           max_pixels: int | None = None) -> DecodedImage:
    """Decode to upright RGB; with ``long_side``, no larger than that (JPEG uses draft decoding)."""
    raw = read_source(source)
    image = raw if isinstance(raw, Image.Image) else _open(raw)
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


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageDecodeError("empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageDecodeError(f"decompression bomb: {exc}") from exc
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
