"""HEIC/HEIF (phones' default format): Pillow opens it through pillow-heif (libheif), and its
dimensions are read here from the container's boxes before libheif parses anything.

Why read them ourselves: libheif reads the whole file and builds its item tree when Pillow
*opens* it, and its own refusal of a huge image (a security limit) surfaces as "cannot identify
image file", which says nothing about the cause. Walking the ISO-BMFF boxes (ftyp, then meta >
iprp > ipco > ispe) costs a few reads, and a header claiming 100,000 × 100,000 pixels is refused
as a decompression bomb with its size in the reason. Pure Python + pillow-heif: no Django, no app.
"""
import struct
from typing import BinaryIO

import pillow_heif

# ftyp brands of HEVC-coded HEIF ("HEIC" files); other HEIF brands (mif1, msf1) say image/heif.
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = _HEVC_BRANDS | {b"mif1", b"msf1", b"mif2"}
_CONTAINERS = {b"iprp", b"ipco"}
# The meta box holds item info, locations and properties (no pixels); real phones write a few KB,
# a grid of 48 tiles ~10 KB. A meta box past this is refused rather than read.
MAX_META_BYTES = 4 * 1024 * 1024
_registered = False


class HeifHeaderError(ValueError):
    """The HEIF container is damaged or its metadata is too large to read; the message says why."""


def register() -> None:
    """Let Pillow open HEIC/HEIF (idempotent). Thumbnails, depth and auxiliary images are not
    needed (previews are rendered from the primary image) and are not loaded."""
    global _registered
    if not _registered:
        pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
        _registered = True


def heif_brand(fileobj: BinaryIO) -> bytes | None:
    """The major brand of a HEIF file's ftyp box (b"heic", b"mif1", …), or None when it is not HEIF."""
    fileobj.seek(0)
    head = fileobj.read(32)
    fileobj.seek(0)
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    size = struct.unpack(">I", head[:4])[0]
    brands = [head[8:12]] + [head[i:i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
    return head[8:12] if any(brand in _HEIF_BRANDS for brand in brands) else None


def heif_content_type(fileobj: BinaryIO) -> str:
    """image/heic for HEVC-coded files (what phones write), image/heif for the other HEIF brands."""
    return "image/heic" if heif_brand(fileobj) in _HEVC_BRANDS else "image/heif"


def heif_declared_size(fileobj: BinaryIO) -> tuple[int, int] | None:
    """The largest (width, height) among the file's image spatial extents (ispe: the primary
    image, a grid's full size, its tiles), or None when it is not HEIF. Leaves the file at 0."""
    if heif_brand(fileobj) is None:
        return None
    try:
        meta = _find_box(fileobj, b"meta", start=0, end=None)
        if meta is None:
            raise HeifHeaderError("the HEIF file has no meta box (damaged or truncated)")
        offset, length = meta
        if length > MAX_META_BYTES:
            raise HeifHeaderError(f"the HEIF metadata is {length:,} bytes, over the limit of {MAX_META_BYTES:,}")
        fileobj.seek(offset)
        body = fileobj.read(length)
        if len(body) < length:
            raise HeifHeaderError("the HEIF metadata is truncated")
        sizes = list(_extents(body[4:]))  # meta is a full box: 4 bytes of version and flags first
    finally:
        fileobj.seek(0)
    if not sizes:
        raise HeifHeaderError("the HEIF file declares no image size (damaged)")
    return max(sizes, key=lambda size: size[0] * size[1])


def _find_box(fileobj: BinaryIO, kind: bytes, *, start: int, end: int | None) -> tuple[int, int] | None:
    """(offset of the body, length of the body) of the first top-level box of `kind`."""
    position = start
    while end is None or position + 8 <= end:
        fileobj.seek(position)
        header = fileobj.read(16)
        if len(header) < 8:
            return None
        size, name = struct.unpack(">I4s", header[:8])
        skip = 8
        if size == 1:  # a 64-bit size follows the type
            if len(header) < 16:
                return None
            size, skip = struct.unpack(">Q", header[8:16])[0], 16
        elif size == 0:  # the box runs to the end of the file
            fileobj.seek(0, 2)
            size = fileobj.tell() - position
        if size < skip:
            raise HeifHeaderError("a HEIF box has an impossible size (damaged)")
        if name == kind:
            return position + skip, size - skip
        position += size
    return None


def _extents(data: bytes):
    """Every ispe (width, height) in a run of boxes, descending into iprp and ipco."""
    position = 0
    while position + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[position:position + 8])
        skip = 8
        if size == 1 and position + 16 <= len(data):
            size, skip = struct.unpack(">Q", data[position + 8:position + 16])[0], 16
        elif size == 0:
            size = len(data) - position
        if size < skip or position + size > len(data):
            raise HeifHeaderError("a HEIF metadata box runs past its container (damaged or truncated)")
        body = data[position + skip:position + size]
        if name in _CONTAINERS:
            yield from _extents(body)
        elif name == b"ispe" and len(body) >= 12:
            yield struct.unpack(">II", body[4:12])  # a full box: version and flags, then width, height
        position += size
