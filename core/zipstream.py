"""A streaming ZIP writer: entries are stored (photos are already compressed), never buffered.

The archive is produced as an iterator of byte chunks, so a response can start at once and
the server holds at most one chunk of one file in memory, whatever the archive's size.
Sizes and CRCs follow each entry in a data descriptor (APPNOTE 4.3.9), because the CRC is
only known once the bytes have been read; ZIP64 records are written where a size, offset or
count passes the classic 32/16-bit limits, so archives over 4 GiB open everywhere.
Used by guest downloads (sharing) and per-person album exports.
"""
from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import BinaryIO

from django.core.files.storage import Storage

from core.storage import CHUNK_SIZE

ZIP32_LIMIT = 0xFFFFFFFF  # a size or offset at or above this needs ZIP64
ZIP16_LIMIT = 0xFFFF  # an entry count at or above this needs ZIP64
_MAX32, _MAX16 = 0xFFFFFFFF, 0xFFFF  # "see the ZIP64 record" markers in classic fields
_FLAGS = 0x0008 | 0x0800  # bit 3: sizes/CRC in a data descriptor; bit 11: names are UTF-8
_STORED = 0
_VERSION_ZIP64 = 45
_VERSION_DEFAULT = 20
_MADE_BY_UNIX = 3 << 8
_REGULAR_FILE_0644 = 0o100644 << 16


@dataclass(frozen=True)
class ZipEntry:
    """One file of the archive; ``open`` is called only when its turn comes.

    ``size`` is a hint: it decides whether the entry's local header announces ZIP64. Unknown
    (None) means "announce ZIP64", which every modern reader accepts.
    """

    name: str
    open: Callable[[], BinaryIO]
    size: int | None = None
    modified: datetime | None = None


@dataclass
class _Written:
    name: bytes
    offset: int
    crc: int
    size: int
    dos_time: int
    dos_date: int
    zip64_local: bool


@dataclass
class _State:
    offset: int = 0
    written: list[_Written] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)


def storage_entry(*, storage: Storage, key: str, name: str, size: int | None = None,
                  modified: datetime | None = None) -> ZipEntry:
    """An entry read from object storage (filesystem or S3) in chunks when it is written."""
    return ZipEntry(name=name, open=lambda: storage.open(key, "rb"), size=size, modified=modified)


def safe_name(name: str) -> str:
    """A relative path with no empty, '.' or '..' parts and no control characters."""
    cleaned = "".join(ch for ch in name.replace("\\", "/") if ch >= " " and ch != "\x7f")
    parts = [part.strip() for part in cleaned.split("/")]
    parts = [part for part in parts if part and part not in (".", "..")]
    return "/".join(parts) or "file"


def unique_name(name: str, taken: set[str]) -> str:
    """"a.jpg", then "a (2).jpg", "a (3).jpg"; compared case-insensitively (Windows, macOS)."""
    path = PurePosixPath(name)
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = str(path.with_name(f"{path.stem} ({number}){path.suffix}"))
    taken.add(candidate.casefold())
    return candidate


def zip_stream(entries: Iterable[ZipEntry], *, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield the archive's bytes; memory stays bounded by ``chunk_size``."""
    state = _State()
    for entry in entries:
        yield from _entry_chunks(entry, state, chunk_size)
    yield _central_directory(state)


def _entry_chunks(entry: ZipEntry, state: _State, chunk_size: int) -> Iterator[bytes]:
    name = unique_name(safe_name(entry.name), state.taken).encode("utf-8")
    zip64 = entry.size is None or entry.size >= ZIP32_LIMIT
    dos_time, dos_date = _dos_datetime(entry.modified)
    record = _Written(name, state.offset, 0, 0, dos_time, dos_date, zip64)
    header = _local_header(record)
    state.offset += len(header)
    yield header
    with entry.open() as source:
        while chunk := source.read(chunk_size):
            record.crc = zlib.crc32(chunk, record.crc)
            record.size += len(chunk)
            state.offset += len(chunk)
            yield chunk
    if record.size >= ZIP32_LIMIT and not zip64:
        raise ValueError(f"{entry.name}: {record.size} bytes but announced {entry.size}; the size hint must not be low")
    descriptor = _data_descriptor(record)
    state.offset += len(descriptor)
    state.written.append(record)
    yield descriptor


def _local_header(record: _Written) -> bytes:
    extra = struct.pack("<HHQQ", 0x0001, 16, 0, 0) if record.zip64_local else b""
    size_field = _MAX32 if record.zip64_local else 0
    version = _VERSION_ZIP64 if record.zip64_local else _VERSION_DEFAULT
    return struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, version, _FLAGS, _STORED, record.dos_time, record.dos_date,
        0, size_field, size_field, len(record.name), len(extra),
    ) + record.name + extra


def _data_descriptor(record: _Written) -> bytes:
    # Stored: compressed size == size. ZIP64 entries carry 8-byte sizes here (APPNOTE 4.3.9.2).
    if record.zip64_local:
        return struct.pack("<IIQQ", 0x08074B50, record.crc, record.size, record.size)
    return struct.pack("<IIII", 0x08074B50, record.crc, record.size, record.size)


def _central_header(record: _Written) -> bytes:
    big_size, big_offset = record.size >= ZIP32_LIMIT, record.offset >= ZIP32_LIMIT
    # The ZIP64 extra lists, in this order, only the fields whose 32-bit slot says 0xFFFFFFFF.
    values = ([record.size, record.size] if big_size else []) + ([record.offset] if big_offset else [])
    extra = struct.pack(f"<HH{len(values)}Q", 0x0001, 8 * len(values), *values) if values else b""
    zip64 = bool(values) or record.zip64_local
    version = _VERSION_ZIP64 if zip64 else _VERSION_DEFAULT
    size = _MAX32 if big_size else record.size
    offset = _MAX32 if big_offset else record.offset
    return struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, _MADE_BY_UNIX | version, version, _FLAGS, _STORED,
        record.dos_time, record.dos_date, record.crc, size, size, len(record.name), len(extra),
        0, 0, 0, _REGULAR_FILE_0644, offset,
    ) + record.name + extra


def _central_directory(state: _State) -> bytes:
    directory = b"".join(_central_header(record) for record in state.written)
    start, count, size = state.offset, len(state.written), len(directory)
    tail = b""
    zip64 = count >= ZIP16_LIMIT or size >= ZIP32_LIMIT or start >= ZIP32_LIMIT
    if zip64:
        zip64_end_offset = start + size
        tail = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, _MADE_BY_UNIX | _VERSION_ZIP64, _VERSION_ZIP64,
                           0, 0, count, count, size, start)
        tail += struct.pack("<IIQI", 0x07064B50, 0, zip64_end_offset, 1)
    tail += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, *(2 * [_MAX16 if zip64 else count]),
        _MAX32 if zip64 else size, _MAX32 if zip64 else start, 0,
    )
    return directory + tail


def _dos_datetime(moment: datetime | None) -> tuple[int, int]:
    """MS-DOS time and date fields; DOS dates start in 1980 and have 2-second resolution."""
    if moment is None or moment.year < 1980:
        return 0, (1 << 5) | 1  # 1980-01-01 00:00
    if moment.year > 2107:  # the 7-bit year field ends there
        moment = datetime(2107, 12, 31, 23, 59, 58)
    dos_time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    dos_date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
    return dos_time, dos_date
