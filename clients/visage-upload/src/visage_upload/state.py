"""The local record of what was sent where, so that no file is uploaded twice, even after a crash.

One JSON file per watched folder (default `DIR/.visage-upload.json`), rewritten atomically (a
temporary file beside it, fsync, rename): a client killed at any moment leaves the old file or the
new one, never half of one. Per server and event it maps each file's SHA-256 to what happened:

    sending   an upload was started with this Idempotency-Key (kept, so a rerun sends the same key
              and the server replays its first answer instead of storing the photo again)
    created / duplicate   the server has the photo (final)
    rejected  the server refused it, with its reason (final: not retried)

Files are also remembered by (path, size, mtime) → SHA-256, so a rerun does not hash them again.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

VERSION = 1
DEFAULT_NAME = ".visage-upload.json"
FINAL = ("created", "duplicate", "rejected")


class State:
    def __init__(self, path: Path, data: dict | None = None):
        self.path = path
        self.data = data or {"version": VERSION, "targets": {}, "hashes": {}}

    @classmethod
    def load(cls, path: Path) -> State:
        """The state at `path`; a missing file is an empty state, an unreadable one is kept aside
        (`….corrupt-<time>`) and started afresh: the server's SHA-256 dedupe still stops a second copy."""
        _remove_abandoned_temporaries(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (ValueError, UnicodeError):
            path.replace(path.with_name(f"{path.name}.corrupt-{int(time.time())}"))
            return cls(path)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls(path)
        data.setdefault("targets", {})
        data.setdefault("hashes", {})
        return cls(path, data)

    def target(self, base_url: str, event_id: int) -> dict[str, dict]:
        """SHA-256 → entry for the photos sent to one event of one server."""
        key = f"{base_url.rstrip('/')} event {event_id}"
        return self.data["targets"].setdefault(key, {})

    def known_hash(self, relpath: str, size: int, mtime_ns: int) -> str | None:
        entry = self.data["hashes"].get(relpath)
        if entry and entry["size"] == size and entry["mtime_ns"] == mtime_ns:
            return entry["sha256"]
        return None

    def remember_hash(self, relpath: str, size: int, mtime_ns: int, sha256: str) -> None:
        self.data["hashes"][relpath] = {"size": size, "mtime_ns": mtime_ns, "sha256": sha256}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f"{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(self.data, separators=(",", ":")))  # one shot, compact: the C encoder
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_folder(self.path.parent)


def _remove_abandoned_temporaries(path: Path) -> None:
    """Temporary files of a client killed while saving (an hour old: not another client's, mid-write)."""
    for temporary in path.parent.glob(f"{path.name}.*.tmp"):
        try:
            if time.time() - temporary.stat().st_mtime > 3600:
                temporary.unlink()
        except OSError:
            pass


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder and needs no such step."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
