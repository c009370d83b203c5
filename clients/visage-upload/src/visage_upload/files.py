"""Which files in the folder are photos, and when one has finished being written.

A camera tethering app or a Lightroom export writes a photo over seconds; uploading it early
would send half a file. A file counts as finished ("settled") once its size and modification
time have not changed for `settle` seconds and it can be opened for reading (Windows refuses that
while the writer still holds it). A file that was already old when first seen (its mtime is
`settle` seconds in the past) only needs a short second look.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

# What Visage accepts (JPEG, PNG, WebP, TIFF; HEIC/HEIF from phones). Other files — sidecars (.xmp),
# RAW files, temporary names (.tmp, .part) — are not photos to send.
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"})
SECOND_LOOK_S = 0.5
HASH_CHUNK = 1024 * 1024


def is_photo(root: Path, path: Path) -> bool:
    """A photo file under `root`: an accepted suffix, and no hidden part (dot-files such as the state
    file, macOS `._` files, `.Trash`) in its path below `root`."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    return (bool(parts) and path.suffix.lower() in PHOTO_SUFFIXES
            and not any(part.startswith((".", "~")) for part in parts))


def scan(root: Path) -> list[Path]:
    """Every photo under `root`, nested folders included (symlinked folders are not followed)."""
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(Path(folder, name) for name in sorted(names) if is_photo(root, Path(folder, name)))
    return found


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    unchanged_since: float  # time.monotonic() when this size and mtime were first seen


class Settler:
    """Files waiting to stop growing. `note(path)` on every sighting; `ready()` hands back the settled ones."""

    def __init__(self, settle: float):
        self.settle = settle
        self._pending: dict[Path, _Seen | None] = {}

    def note(self, path: Path) -> None:
        self._pending.setdefault(path, None)

    def __len__(self) -> int:
        return len(self._pending)

    def pending(self) -> list[Path]:
        return sorted(self._pending)

    def ready(self) -> list[Path]:
        done = []
        now = time.monotonic()
        for path, seen in list(self._pending.items()):
            try:
                stat = path.stat()
            except OSError:  # gone (renamed from a temporary name, deleted): nothing to send
                del self._pending[path]
                continue
            if seen is None or (seen.size, seen.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
                self._pending[path] = _Seen(stat.st_size, stat.st_mtime_ns, now)
                continue
            quiet_for = now - seen.unchanged_since
            old_already = time.time() - stat.st_mtime_ns / 1e9 >= self.settle
            if (quiet_for >= self.settle or (old_already and quiet_for >= min(self.settle, SECOND_LOOK_S))) \
                    and _openable(path):
                del self._pending[path]
                done.append(path)
        return sorted(done)


def _openable(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.read(1)
        return True
    except OSError:
        return False


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    mtime_ns: int


def fingerprint(path: Path) -> Fingerprint | None:
    """SHA-256 of the file as it is now; None if it changed while being read (it will be noted again)."""
    before = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    after = path.stat()
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        return None
    return Fingerprint(digest.hexdigest(), after.st_size, after.st_mtime_ns)
