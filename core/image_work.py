"""The work a JPEG asks of its decoder, read from its markers before any pixel is decoded.

A progressive JPEG may repeat its scans: each one costs a pass over every coefficient block of
its components, whatever its size in bytes (an end-of-band run codes 32,767 blocks in a few
bits). A 729 KB selfie of repeated scans cost 101 s of CPU, so the scans are counted from the
bytes (a regex over the entropy-coded data, C speed) and refused beyond a sane number.
Pure Python: no Django, no app.
"""
import re
import struct
from dataclasses import dataclass
from typing import BinaryIO

# libjpeg's default progressive script has 10 scans for colour and 6 for grey; Photoshop's
# "progressive, 5 scans" writes 3-5 and mozjpeg's scan optimisation ~10 (docs/image-limits.md).
# 40 leaves room for unusual encoders and keeps a hostile file's cost within a few decodes.
MAX_JPEG_SCANS = 40
_READ = 1024 * 1024
# A marker ends entropy-coded data: 0xFF then anything but 0x00 (stuffing), 0xFF (fill) or RSTn.
_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_PROGRESSIVE_SOF = {0xC2, 0xC6, 0xCA, 0xCE}


class JpegWorkError(ValueError):
    """The JPEG asks for more decoding work than any camera's file does; the message says why."""


@dataclass(frozen=True)
class JpegWork:
    width: int
    height: int
    components: int
    progressive: bool
    scans: int
    blocks: int  # 8×8 coefficient blocks of one full pass over every component


def jpeg_work(fileobj: BinaryIO) -> JpegWork | None:
    """The frame and scan count of a JPEG (up to its first EOI), or None when it is not a JPEG.

    Reads the file in 1 MiB chunks; leaves it at position 0.
    """
    fileobj.seek(0)
    try:
        if fileobj.read(2) != b"\xff\xd8":
            return None
        return _walk(_Reader(fileobj))
    finally:
        fileobj.seek(0)


def check_jpeg_work(fileobj: BinaryIO, *, max_scans: int = MAX_JPEG_SCANS) -> JpegWork | None:
    """jpeg_work, refusing a JPEG with more scans than `max_scans`."""
    work = jpeg_work(fileobj)
    if work is not None and work.scans > max_scans:
        raise JpegWorkError(
            f"the JPEG has {work.scans} scans (a camera writes at most ~10; the limit is {max_scans}): "
            f"decoding it would repeat the work {work.scans} times")
    return work


class _Reader:
    """Sequential reads over a file, with a search for the next marker that spans chunks."""

    def __init__(self, fileobj: BinaryIO):
        self.file, self.buffer, self.position = fileobj, b"", 0

    def take(self, count: int) -> bytes:
        while len(self.buffer) - self.position < count:
            chunk = self.file.read(_READ)
            if not chunk:
                break
            self.buffer = self.buffer[self.position:] + chunk
            self.position = 0
        data = self.buffer[self.position:self.position + count]
        self.position += len(data)
        return data

    def skip_entropy_data(self) -> bool:
        """Move to the next marker after entropy-coded data; False at the end of the file."""
        while True:
            found = _MARKER.search(self.buffer, self.position)
            if found:
                self.position = found.start()
                return True
            keep = self.buffer[-1:] if self.buffer[-1:] == b"\xff" else b""  # a marker split across chunks
            chunk = self.file.read(_READ)
            if not chunk:
                return False
            self.buffer, self.position = keep + chunk, 0


def _walk(reader: _Reader) -> JpegWork | None:
    frame: tuple[int, int, list[tuple[int, int]], bool] | None = None
    scans = 0
    while True:
        head = reader.take(2)
        if len(head) < 2 or head[0] != 0xFF:
            break
        marker = head[1]
        if marker == 0xFF:  # fill byte before a marker
            reader.position -= 1
            continue
        if marker == 0xD9:  # EOI: what follows (an MPO's next frame) is not decoded
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        length_bytes = reader.take(2)
        if len(length_bytes) < 2:
            break
        body = reader.take(max(0, struct.unpack(">H", length_bytes)[0] - 2))
        if marker in _SOF and frame is None and len(body) >= 6:
            frame = _frame(body, progressive=marker in _PROGRESSIVE_SOF)
        elif marker == 0xDA:
            scans += 1
            if not reader.skip_entropy_data():
                break
    if frame is None:
        return None
    width, height, sampling, progressive = frame
    return JpegWork(width=width, height=height, components=len(sampling), progressive=progressive, scans=scans,
                    blocks=_blocks(width, height, sampling))


def _frame(body: bytes, *, progressive: bool) -> tuple[int, int, list[tuple[int, int]], bool]:
    height, width, count = struct.unpack(">HHB", body[1:6])
    sampling = [(body[7 + 3 * k] >> 4, body[7 + 3 * k] & 0x0F) for k in range(count) if 8 + 3 * k < len(body)]
    return width, height, sampling, progressive


def _blocks(width: int, height: int, sampling: list[tuple[int, int]]) -> int:
    if not sampling:
        return 0
    h_max = max(h for h, _ in sampling) or 1
    v_max = max(v for _, v in sampling) or 1
    return sum(-(-width * h // (h_max * 8)) * -(-height * v // (v_max * 8)) for h, v in sampling)
