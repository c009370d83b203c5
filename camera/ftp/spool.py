"""Where uploads are written while they arrive: temporary files under one folder of the server's own,
named by the server (never by the client), and the interrupted ones kept for the same account to
resume (REST + STOR) until VISAGE_FTP_RESUME_SECONDS pass."""
import errno
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pyftpdlib.filesystems import FilesystemError

# Interrupted uploads one account may leave waiting; the oldest goes first.
_PARTIALS_PER_ACCOUNT = 8


class SpoolFile:
    """The file a STOR writes: refuses bytes past the size limit (the server answers 552), and a
    REST offset drops whatever followed it, so a resumed file is exactly what the camera sent."""

    def __init__(self, *, spool_path: Path, username: str, virtual_path: str, limit: int, resume: bool):
        self.spool_path, self.username, self.virtual_path, self.limit = spool_path, username, virtual_path, limit
        self._file = open(spool_path, "r+b" if resume else "wb")  # noqa: SIM115 (closed by the data channel)
        self.name = str(spool_path)  # pyftpdlib logs it and passes it back
        self.oversize = False
        self.resumed_from = 0
        self.login = None  # camera.services.CameraLogin, set by the filesystem that opened it

    @property
    def filename(self) -> str:
        return os.path.basename(self.virtual_path)

    @property
    def closed(self) -> bool:
        return self._file.closed

    def write(self, data: bytes) -> int:
        if self._file.tell() + len(data) > self.limit:
            self.oversize = True
            raise OSError(errno.EFBIG, "File too large")
        return self._file.write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self._file.seek(offset, whence)
        self._file.truncate()
        self.resumed_from = position
        return position

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def size(self) -> int:
        return self.spool_path.stat().st_size if self.spool_path.exists() else 0


@dataclass
class _Partial:
    spool_path: Path
    kept_at: float = field(default_factory=time.monotonic)
    holder: SpoolFile | None = None  # the resume writing it now, if any

    @property
    def in_use(self) -> bool:
        """Only while the resuming file is open: a resume refused before it started (REST past the
        end) or ended any way gives the partial back."""
        return self.holder is not None and not self.holder.closed


class Spool:
    """One per server process; shared by its connection threads."""

    def __init__(self, *, directory: Path | None = None, resume_seconds: int):
        self.directory = Path(directory or tempfile.mkdtemp(prefix="visage-ftp-spool-"))
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.resume_seconds = resume_seconds
        self._partials: dict[tuple[str, str], _Partial] = {}
        self._lock = threading.Lock()

    def start(self, *, username: str, virtual_path: str, limit: int) -> SpoolFile:
        """A new upload (plain STOR): any interrupted one of the same name is dropped."""
        with self._lock:
            self._expire()
            old = self._partials.pop((username, virtual_path), None)
        if old is not None:
            old.spool_path.unlink(missing_ok=True)
        handle, path = tempfile.mkstemp(dir=self.directory, prefix="upload-")
        os.close(handle)
        return SpoolFile(spool_path=Path(path), username=username, virtual_path=virtual_path, limit=limit, resume=False)

    def resume(self, *, username: str, virtual_path: str, limit: int) -> SpoolFile:
        """REST + STOR: carry on writing the interrupted upload of this name by this account."""
        with self._lock:
            self._expire()
            partial = self._partials.get((username, virtual_path))
            if partial is None or partial.in_use:
                raise FilesystemError(
                    f"No interrupted upload of {os.path.basename(virtual_path)} to resume "
                    "(or it is older than the resume window): send the whole file without REST")
            partial.holder = SpoolFile(spool_path=partial.spool_path, username=username, virtual_path=virtual_path,
                                       limit=limit, resume=True)
            return partial.holder

    def keep(self, spool_file: SpoolFile) -> None:
        """The upload was cut off: keep what arrived for a resume, within the window."""
        key = (spool_file.username, spool_file.virtual_path)
        dropped = []
        with self._lock:
            self._partials[key] = _Partial(spool_path=spool_file.spool_path)
            mine = sorted((p.kept_at, k) for k, p in self._partials.items() if k[0] == spool_file.username)
            for _, old_key in mine[:-_PARTIALS_PER_ACCOUNT]:
                dropped.append(self._partials.pop(old_key).spool_path)
        for path in dropped:
            path.unlink(missing_ok=True)

    def discard(self, spool_file: SpoolFile) -> None:
        """Done with (stored, duplicate or refused): nothing of it stays here."""
        with self._lock:
            partial = self._partials.get((spool_file.username, spool_file.virtual_path))
            if partial is not None and partial.spool_path == spool_file.spool_path:
                del self._partials[(spool_file.username, spool_file.virtual_path)]
        spool_file.spool_path.unlink(missing_ok=True)  # storage may have moved it already

    def partials(self, username: str) -> dict[str, int]:
        """Virtual path → bytes received, for this account's interrupted uploads."""
        with self._lock:
            self._expire()
            items = [(path, partial.spool_path) for (user, path), partial in self._partials.items() if user == username]
        return {path: spool_path.stat().st_size for path, spool_path in items if spool_path.exists()}

    def close(self) -> None:
        with self._lock:
            self._partials.clear()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _expire(self) -> None:
        limit = time.monotonic() - self.resume_seconds
        for key in [k for k, p in self._partials.items() if p.kept_at < limit and not p.in_use]:
            self._partials.pop(key).spool_path.unlink(missing_ok=True)
