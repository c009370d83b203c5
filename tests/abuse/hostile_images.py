"""Hostile image files, built at test time from the real photos in /work/shared/data (never checked
in): what issue 23 sent as a guest's selfie and as an upload. Shared by
tests/abuse/test_hostile_images.py and scripts/bench_hostile_images.py.

Each builder returns the file's bytes; sizes are chosen so that the file is what the audit sent
(sub-megabyte) while the work it asks for is large.
"""
import io
import re
import struct
import zlib
from pathlib import Path

from PIL import Image

from tests.abuse.decode_cost import PORTRAIT

_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")


def real_photo(*, side: int | None = None, source: Path = PORTRAIT) -> Image.Image:
    """A real photo in RGB; upscaled from a small copy to `side`×`side` (smooth, so it compresses)."""
    image = Image.open(source).convert("RGB")
    return image if side is None else image.resize((64, 64)).resize((side, side), Image.Resampling.BICUBIC)


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def scan_segments(jpeg: bytes) -> list[tuple[int, int]]:
    """(start, end) of every SOS segment of a JPEG, its entropy-coded data included."""
    segments, position = [], 2
    while position < len(jpeg) and jpeg[position + 1] != 0xD9:
        length = struct.unpack(">H", jpeg[position + 2:position + 4])[0]
        if jpeg[position + 1] == 0xDA:
            end = _MARKER.search(jpeg, position + 2 + length).start()
            segments.append((position, end))
            position = end
        else:
            position += 2 + length
    return segments


def progressive_repeated_scans(*, side: int = 6000, repeats: int = 5000) -> bytes:
    """A progressive JPEG of a real photo whose smallest luma scan is repeated `repeats` times: each
    copy is ~60 bytes and makes libjpeg pass over every block again (the audit: 729 KB, 101 s;
    this one: ~750 KB, ~25 s)."""
    jpeg = _encode(real_photo(side=side), "JPEG", progressive=True, quality=50)
    segments = scan_segments(jpeg)
    # The smallest scan of the luma component alone (the most blocks): ~59 bytes, ~5 ms each at 36 MP.
    luma = [(start, end) for start, end in segments if jpeg[start + 4:start + 6] == b"\x01\x01"]
    start, end = min(luma, key=lambda segment: segment[1] - segment[0])
    last = segments[-1][1]
    return jpeg[:last] + jpeg[start:end] * repeats + jpeg[last:]


def progressive(*, side: int) -> bytes:
    """A plain progressive JPEG of a real photo (libjpeg's default script: 10 scans)."""
    return _encode(real_photo(side=side), "JPEG", progressive=True, quality=90)


def png_16bit(*, side: int) -> bytes:
    """16-bit greyscale PNG (mode I;16): small on disk, 2 bytes a pixel decoded, then scaled."""
    grey = real_photo(side=side).convert("L")
    return _encode(grey.convert("I").point(lambda value: value * 257).convert("I;16"), "PNG")


def png_palette_transparency(*, side: int) -> bytes:
    """Palette PNG with a tRNS chunk: 1 byte a pixel decoded, RGBA then RGB to composite it."""
    palette = real_photo(side=side).quantize(colors=64)
    return _encode(palette, "PNG", transparency=0)


def tiff_float(*, side: int) -> bytes:
    """32-bit float greyscale TIFF (mode F), deflate-compressed: a real photo on a black canvas,
    so that the file stays small (~1 MB for 3000×3000) while it decodes to 4 bytes a pixel."""
    canvas = Image.new("F", (side, side))
    canvas.paste(real_photo().convert("F"))
    return _encode(canvas, "TIFF", compression="tiff_adobe_deflate")


def png_with_chunk(chunk_type: bytes, payload: bytes) -> bytes:
    """A real photo's PNG with one more chunk before IDAT (Pillow reads it while opening)."""
    png = _encode(real_photo(), "PNG")
    chunk = struct.pack(">I", len(payload)) + chunk_type + payload
    chunk += struct.pack(">I", zlib.crc32(chunk_type + payload) & 0xFFFFFFFF)
    ihdr_end = 8 + 25
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def png_huge_iccp(*, inflated: int = 64 * 2**20) -> bytes:
    """An iCCP chunk whose profile inflates to `inflated` bytes (64 MB from ~64 KB)."""
    return png_with_chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(b"\x00" * inflated, 9))


def png_huge_ztxt(*, inflated: int = 64 * 2**20) -> bytes:
    """A zTXt chunk whose text inflates to `inflated` bytes."""
    return png_with_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * inflated, 9))


# The suite's cases (tests/abuse/test_hostile_images.py, scripts/bench_hostile_images.py).
def heic(*, side: int, ten_bit: bool = False) -> bytes:
    """A real photo as HEIC (pillow-heif): 8-bit 4:2:0 as phones write it, or 10-bit 4:4:4, the
    most a HEIC decode holds (libheif's 16-bit planes and interleaved RGB before the 8-bit copy)."""
    import numpy as np
    import pillow_heif

    from core import heif

    heif.register()
    image = real_photo(side=side)
    if not ten_bit:
        return _encode(image, "HEIF", quality=60)
    wide = (np.asarray(image).astype(np.uint16) << 8).tobytes()
    buffer = io.BytesIO()
    pillow_heif.from_bytes(mode="RGB;16", size=image.size, data=wide).save(buffer, quality=60, chroma=444)
    return buffer.getvalue()


def heic_bomb(*, width: int = 100_000, height: int = 100_000) -> bytes:
    """A small real HEIC whose image spatial extents (ispe) claim width × height pixels."""
    from tests.heic import heic_claiming

    return heic_claiming(heic(side=512), width, height)


CASES = {
    "repeated_scans": progressive_repeated_scans,
    "progressive_36mp": lambda: progressive(side=6000),
    "png_16bit": lambda: png_16bit(side=4000),
    "palette_transparency": lambda: png_palette_transparency(side=4000),
    "float_tiff": lambda: tiff_float(side=3000),
    "huge_iccp": png_huge_iccp,
    "huge_ztxt": png_huge_ztxt,
    "empty": lambda: b"",
    "two_bytes": lambda: b"\xff\xd8",
    "heic_9mp": lambda: heic(side=3000),
    "heic_10bit_444": lambda: heic(side=3000, ten_bit=True),
    "heic_bomb": heic_bomb,
}
