"""Pixel-mode normalisation shared by derivatives (events) and face analysis (recognition.ml), and
what decoding an image costs in memory. Pure Pillow/numpy: no Django, no app."""
import io
import warnings

import numpy as np
from PIL import Image

from core import heif
from core.image_work import JpegWork

heif.register()  # every process that decodes (web, worker, the sandbox's fork server) opens HEIC too

_HIGH_BIT_DEPTH = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")
_ALPHA = ("RGBA", "LA", "PA", "RGBa", "La")
# Bytes a pixel in Pillow's memory layout (every multi-band mode is stored 4 bytes a pixel).
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2, "I": 4, "F": 4}
# Extra bytes a pixel that decoding and to_rgb hold at their peak above the decoded image itself,
# measured as peak RSS per format and mode (tests/abuse/test_hostile_images.py, docs/image-limits.md):
# the RGB copy (4), a 16-bit or float scaling pass (4 + 1), alpha on white (RGBA 4 + RGB 4), and
# the decoder's own full-image buffers: libwebp's canvas, its bytes copy and more (12), a
# one-strip TIFF (1×). HEIF: see _heif_bytes_per_pixel.
_CONVERSION_BYTES = {"I;16": 1 + 4, "I": 4 + 1 + 4, "F": 4 + 1 + 4, "P+transparency": 4 + 4, "alpha": 4}
_FORMAT_BUFFER = {"WEBP": 12}
# libjpeg keeps every coefficient of a progressive JPEG: 64 of 2 bytes per 8×8 block, at any scale.
_COEFFICIENT_BYTES_PER_BLOCK = 128


def decode_check(source: bytes | str) -> None:
    """Decode the whole file (bytes, or a path) cheaply: JPEG at 1/8 scale (still reads every scan),
    PNG by its CRCs, others in full. ValueError, with the decoder's reason, when it cannot."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the caller's limit applies
            with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
                if image.format in {"JPEG", "MPO"}:
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                    image.load()
                elif image.format == "PNG":
                    image.verify()
                else:
                    image.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise ValueError(str(exc) or exc.__class__.__name__) from None


def exif_without_decoding(image: Image.Image) -> Image.Exif:
    """The EXIF block; Pillow's PNG getexif() decodes every pixel looking for an eXIf chunk after
    the image data, so a PNG's is read only from a chunk before it (the usual place)."""
    if image.format != "PNG":
        return image.getexif()
    exif = Image.Exif()
    exif.load(image.info.get("exif", b""))
    return exif


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB for any mode: 16-bit scaled down, transparency composited on white, CMYK converted."""
    if image.mode in _HIGH_BIT_DEPTH:
        image = _high_bit_depth_to_l(image)
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in _ALPHA:
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        # paste() reads the alpha band in place: no second RGBA canvas as alpha_composite needs.
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba)
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _high_bit_depth_to_l(image: Image.Image) -> Image.Image:
    """8-bit gray from 16/32-bit or float data (Pillow's own convert clips at 255: a white image).
    One 16-bit copy, or one scaled float copy: never a float64 array (8 bytes a pixel, three times)."""
    if image.mode.startswith("I;16"):
        values = np.array(image)
        np.right_shift(values, 8, out=values)
        return Image.fromarray(values.astype(np.uint8), "L")
    low, high = image.getextrema()
    top = max(float(high), 1.0)
    top = 255.0 if top <= 255.0 else (65535.0 if top <= 65535.0 else top)
    scaled = image if top == 255.0 else image.point(lambda value: value * (255.0 / top))
    return scaled.convert("L")


def jpeg_draft_scale(long_side: int, target: int | None) -> int:
    """The DCT scale Pillow's draft() picks: the largest of 8, 4, 2 that keeps the long side ≥ target."""
    if target is None:
        return 1
    return next((scale for scale in (8, 4, 2) if long_side // scale >= target), 1)


def decode_cost_bytes(image: Image.Image, *, scale: int = 1, jpeg: JpegWork | None = None) -> int:
    """Peak memory to decode `image` (JPEG at 1/`scale`) and convert it to RGB, from its header alone.

    Counts the decoded image in its own mode, the decoder's buffers (a progressive JPEG's
    coefficients at full size whatever the scale) and every conversion to_rgb makes.
    """
    width, height = image.size
    if image.format in {"JPEG", "MPO"}:
        out = -(-width // scale) * -(-height // scale) * 8  # decoded at 1/scale, then its RGB copy
        coefficients = jpeg.blocks * _COEFFICIENT_BYTES_PER_BLOCK if jpeg is not None and jpeg.progressive else 0
        return out + coefficients
    pixels = width * height
    if image.format == "HEIF":
        return round(pixels * _heif_bytes_per_pixel(image))
    mode = image.mode
    native = _PIXEL_BYTES.get(mode, 4)
    if mode in _PIXEL_BYTES and mode not in {"1", "L", "P"}:
        extra = _CONVERSION_BYTES["I;16" if mode.startswith("I;16") else mode]
    elif mode == "P" and "transparency" in image.info:
        extra = _CONVERSION_BYTES["P+transparency"]
    elif mode in _ALPHA:
        extra = _CONVERSION_BYTES["alpha"]
    else:
        extra = 0
    decoder = _FORMAT_BUFFER.get(image.format, native if image.format == "TIFF" else 0)
    return pixels * (native + 4 + extra + decoder)


# Decoded YCbCr bytes a pixel per sample byte, by chroma subsampling (pillow-heif's info["chroma"]).
_HEIF_PLANES = {400: 1.0, 420: 1.5, 422: 2.0, 444: 3.0}


def _heif_bytes_per_pixel(image: Image.Image) -> float:
    """HEIF decodes at full size: libheif's YCbCr planes, held twice (the decoder's picture and
    libheif's image), its interleaved RGB(A) (4 samples, 2 bytes each past 8 bits) and Pillow's copy
    (4), plus alpha on white. Measured (docs/image-limits.md): 8-bit 4:2:0 9 MP, 104 MiB against
    119 estimated; 10-bit 4:4:4 16 MP, 262 MiB against 390."""
    sample = 1 if int(image.info.get("bit_depth") or 8) <= 8 else 2
    planes = _HEIF_PLANES.get(image.info.get("chroma"), 3.0) * sample * 2
    alpha = _CONVERSION_BYTES["alpha"] if image.mode in _ALPHA else 0
    return planes + 4 * sample + 4 + alpha
