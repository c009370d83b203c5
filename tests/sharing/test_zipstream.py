"""The streaming ZIP writer: readable by zipfile, stored, unique names, ZIP64, bounded chunks."""
import io
import os
import struct
import zipfile
from datetime import datetime

import pytest

from core import zipstream
from core.zipstream import ZipEntry, safe_name, zip_stream


def entry(name, data, size="exact", modified=None):
    return ZipEntry(name=name, open=lambda: io.BytesIO(data), size=len(data) if size == "exact" else size, modified=modified)


def read_back(chunks) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None  # every CRC checks out
    return archive


def test_round_trip_stored_with_unique_names():
    files = [entry("a.jpg", b"first"), entry("A.JPG", b"second"), entry("a.jpg", b"third" * 1000),
             entry("sub/../b.jpg", os.urandom(70_000), modified=datetime(2024, 5, 17, 14, 3, 8))]
    archive = read_back(zip_stream(files, chunk_size=4096))
    assert archive.namelist() == ["a.jpg", "A (2).JPG", "a (3).jpg", "sub/b.jpg"]
    assert archive.read("a (3).jpg") == b"third" * 1000
    assert archive.read("sub/b.jpg") == files[3].open().read()
    assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    assert archive.getinfo("sub/b.jpg").date_time == (2024, 5, 17, 14, 3, 8)


def test_chunks_are_bounded_and_files_opened_lazily():
    opened = []

    def opener(name, data):
        def open_():
            opened.append(name)
            return io.BytesIO(data)
        return open_

    files = [ZipEntry(name=f"{i}.bin", open=opener(i, bytes(10_000)), size=10_000) for i in range(3)]
    stream = zip_stream(files, chunk_size=1024)
    first = next(stream)
    assert opened == []  # the first header goes out before any file is read
    sizes = [len(first)] + [len(chunk) for chunk in stream]
    assert opened == [0, 1, 2]
    assert max(sizes) <= 3 * 1024  # headers and descriptors are small; data comes in chunks


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "etc/passwd"), ("/abs/x.jpg", "abs/x.jpg"), ("a\\b.jpg", "a/b.jpg"),
    ("bad\x00name\n.jpg", "badname.jpg"), ("..", "file"), ("Zoë ✓.jpg", "Zoë ✓.jpg"),
])
def test_names_are_made_safe(name, expected):
    assert safe_name(name) == expected


def test_utf8_names_flagged():
    archive = read_back(zip_stream([entry("Zoë ✓.jpg", b"x")]))
    assert archive.namelist() == ["Zoë ✓.jpg"]
    assert archive.infolist()[0].flag_bits & 0x800


def test_unknown_size_uses_zip64_local_header():
    archive = read_back(zip_stream([entry("u.bin", b"data" * 10, size=None), entry("k.bin", b"k")]))
    assert archive.read("u.bin") == b"data" * 10
    assert archive.read("k.bin") == b"k"


def test_zip64_records_when_limits_are_passed(monkeypatch):
    """Lower the limits so every ZIP64 path (sizes, offsets, entry count) runs on small data."""
    monkeypatch.setattr(zipstream, "ZIP32_LIMIT", 100)
    monkeypatch.setattr(zipstream, "ZIP16_LIMIT", 3)
    files = [entry(f"{i}.bin", bytes([i]) * (50 + 40 * i)) for i in range(5)]
    data = b"".join(zip_stream(files))
    # The classic end record points at the ZIP64 one, as readers expect past the limits.
    assert data[-22:-18] == struct.pack("<I", 0x06054B50)
    assert struct.unpack("<H", data[-12:-10])[0] == 0xFFFF  # the real count is in the ZIP64 record
    assert struct.pack("<I", 0x06064B50) in data and struct.pack("<I", 0x07064B50) in data
    # Real zipfile limits are unchanged, so it must read the fields from the ZIP64 records.
    monkeypatch.undo()
    archive = zipfile.ZipFile(io.BytesIO(data))
    for i, info in enumerate(archive.infolist()):
        assert info.file_size == 50 + 40 * i
        assert archive.read(info) == bytes([i]) * (50 + 40 * i)


def test_low_size_hint_is_refused(monkeypatch):
    monkeypatch.setattr(zipstream, "ZIP32_LIMIT", 100)
    with pytest.raises(ValueError, match="size hint"):
        b"".join(zip_stream([entry("x.bin", bytes(200), size=10)]))


class Zeros:
    """A file of `size` zero bytes that hands out one shared chunk object (cheap to skip)."""

    def __init__(self, size, chunk):
        self.left, self.chunk = size, chunk

    def read(self, n):
        n = min(n, self.left)
        self.left -= n
        return self.chunk if n == len(self.chunk) else bytes(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_real_archive_over_4_gib(tmp_path):
    """A 4.3 GB entry between two small ones, written into a sparse file (the data is zeros,
    so only headers take disk space) and opened by zipfile: sizes and offsets past 4 GiB."""
    big, zero = (1 << 32) + 12_345, bytes(1 << 22)
    files = [entry("small.txt", b"hello"), ZipEntry(name="big.bin", open=lambda: Zeros(big, zero), size=big),
             entry("after.txt", b"after")]
    path = tmp_path / "big.zip"
    with open(path, "wb") as out:
        for chunk in zip_stream(files, chunk_size=len(zero)):
            if chunk is zero:
                out.seek(len(chunk), os.SEEK_CUR)  # leave a hole: reads back as zeros
            else:
                out.write(chunk)
        out.truncate()
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("big.bin").file_size == big
        assert archive.getinfo("after.txt").header_offset > big
        assert archive.read("after.txt") == b"after"
        with archive.open("big.bin") as member:
            assert member.read(1024) == bytes(1024)
