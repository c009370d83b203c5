"""Image dimensions read straight from the file's first bytes, before Pillow sees it.

Pillow's WebP plugin builds an animation decoder when it *opens* a file, and that decoder
allocates canvases for the declared size (a 38-byte WebP declaring 177 MP made the process
grow by hundreds of MB without loading a pixel). So WebP's size is read here, from the RIFF
chunk headers, and checked first. PNG, TIFF and JPEG open lazily: Pillow's header read is safe.
"""
import struct
from typing import BinaryIO


def webp_declared_size(fileobj: BinaryIO) -> tuple[int, int] | None:
    """(width, height) a WebP file declares, or None when it is not a WebP (or too short to say)."""
    fileobj.seek(0)
    head = fileobj.read(30)
    fileobj.seek(0)
    if len(head) < 30 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk, body = head[12:16], head[20:30]
    if chunk == b"VP8X":  # extended: 24-bit canvas width-1 and height-1 after 4 bytes of flags
        return int.from_bytes(body[4:7], "little") + 1, int.from_bytes(body[7:10], "little") + 1
    if chunk == b"VP8L" and body[0] == 0x2F:  # lossless: 14 bits width-1, 14 bits height-1
        bits = int.from_bytes(body[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and body[3:6] == b"\x9d\x01\x2a":  # lossy key frame: 14-bit sizes
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF
    return None
