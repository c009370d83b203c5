"""The camera account's virtual folder: its event's photos (and its own interrupted uploads), and
nothing else. No path the client sends is ever joined to a real one, so `..`, absolute paths and
symlinks cannot reach the disk: files arrive in the spool under names the server makes, and
stored originals are never read, deleted or renamed through FTP.

Cameras like to CWD or MKD into a folder of their own (DCIM/100CANON): any folder is accepted as
a view of the same event. Every folder lists the event's photos, so a camera that checks what is
already there before sending (LIST, SIZE) sees its earlier photos wherever it looks."""
import errno
import os
import stat
import time

from pyftpdlib.filesystems import AbstractedFS, FilesystemError

from camera.selectors import event_photo_files

_MAX_DEPTH, _MAX_NAME = 16, 255
_SNAPSHOT_SECONDS = 2.0  # one LIST stats every name: read the event's photos once, not per name


class CameraFilesystem(AbstractedFS):
    """Paths here are virtual: "fs" paths are the normalised FTP paths themselves."""

    def __init__(self, root, cmd_channel):
        super().__init__("/", cmd_channel)
        self._folders = {"/"}
        self._snapshot: tuple[float, dict[str, tuple[int, float]]] = (0.0, {})

    # --- paths: virtual only
    def ftp2fs(self, ftppath: str) -> str:
        return self.ftpnorm(ftppath)

    def fs2ftp(self, fspath: str) -> str:
        return fspath

    def validpath(self, path: str) -> bool:
        return path.startswith("/") and ".." not in path.split("/")

    def realpath(self, path: str) -> str:
        return path

    # --- what exists
    @property
    def _session(self):
        return self.cmd_channel

    def _photos(self) -> dict[str, tuple[int, float]]:
        taken, photos = self._snapshot
        if time.monotonic() - taken > _SNAPSHOT_SECONDS:
            photos = event_photo_files(event_id=self._session.camera_login.event_id)
            self._snapshot = (time.monotonic(), photos)
        return photos

    def forget_snapshot(self) -> None:
        """After an upload: the next listing shows it."""
        self._snapshot = (0.0, {})

    def _partials(self) -> dict[str, int]:
        return self._session.spool.partials(self._session.camera_login.username)

    def isfile(self, path: str) -> bool:
        return path in self._partials() or (path != "/" and os.path.basename(path) in self._photos())

    def isdir(self, path: str) -> bool:
        return path in self._folders

    def islink(self, path: str) -> bool:
        return False

    def lexists(self, path: str) -> bool:
        return self.isdir(path) or self.isfile(path)

    def getsize(self, path: str) -> int:
        return self.stat(path).st_size

    def getmtime(self, path: str) -> float:
        return self.stat(path).st_mtime

    def stat(self, path: str) -> os.stat_result:
        if path in self._folders:
            return _stat(stat.S_IFDIR | 0o755, 0, time.time())
        partial = self._partials().get(path)
        if partial is not None:
            return _stat(stat.S_IFREG | 0o644, partial, time.time())
        photo = self._photos().get(os.path.basename(path)) if path != "/" else None
        if photo is None:
            raise OSError(errno.ENOENT, "No such file or folder")
        return _stat(stat.S_IFREG | 0o444, *photo)

    lstat = stat

    def listdir(self, path: str) -> list[str]:
        if not self.isdir(path):
            raise OSError(errno.ENOTDIR, "Not a folder")
        prefix = path.rstrip("/") + "/"
        folders = {f[len(prefix):] for f in self._folders if f.startswith(prefix) and "/" not in f[len(prefix):]}
        partials = {os.path.basename(p) for p in self._partials() if os.path.dirname(p) == path}
        return sorted((set(self._photos()) | partials | folders) - {""})

    def listdirinfo(self, path: str) -> list[str]:
        return self.listdir(path)

    # --- folders: harmless and virtual
    def chdir(self, path: str) -> None:
        self.mkdir(path)
        self.cwd = path

    def mkdir(self, path: str) -> None:
        if self.isfile(path):
            raise FilesystemError("A photo has that name")
        parts = [p for p in path.split("/") if p]
        if len(parts) > _MAX_DEPTH or any(len(p) > _MAX_NAME for p in parts):
            raise FilesystemError("Folder name too long")
        for depth in range(1, len(parts) + 1):
            self._folders.add("/" + "/".join(parts[:depth]))

    # --- files: uploads only
    def open(self, filename: str, mode: str):
        name = os.path.basename(filename)
        if not name or len(name) > _MAX_NAME:
            raise FilesystemError("Name the file (at most 255 characters)")
        session, limit = self._session, self._session.config.max_upload_bytes
        if mode not in ("wb", "r+b"):
            raise FilesystemError("This account only uploads: photos are not read or changed over FTP")
        begin = session.spool.start if mode == "wb" else session.spool.resume
        spool_file = begin(username=session.camera_login.username, virtual_path=filename, limit=limit)
        spool_file.login = session.camera_login  # the upload belongs to this login, even if the session logs out
        return spool_file

    def mkstemp(self, suffix="", prefix="", dir=None, mode="wb"):
        raise FilesystemError("STOU is not offered: send the file with STOR and its name")

    def remove(self, path: str) -> None:
        raise FilesystemError("Stored photos are never deleted over FTP")

    def rmdir(self, path: str) -> None:
        raise FilesystemError("Folders here are views of the event, not removable")

    def rename(self, src: str, dst: str) -> None:
        raise FilesystemError("Stored photos are never renamed over FTP")

    def chmod(self, path: str, mode) -> None:
        raise FilesystemError("Not offered")

    def utime(self, path: str, timeval) -> None:
        raise FilesystemError("Not offered")

    def readlink(self, path: str) -> str:
        raise FilesystemError("No links here")

    def get_user_by_uid(self, uid) -> str:
        return "visage"

    def get_group_by_gid(self, gid) -> str:
        return "visage"


def _stat(mode: int, size: int, mtime: float) -> os.stat_result:
    return os.stat_result((mode, 0, 0, 1, 0, 0, size, mtime, mtime, mtime))
