"""What happens when a STOR ends: the reply waits for the upload service's answer.

pyftpdlib replies "226" as soon as the data connection closes; here the data channel's close first
hands the spooled file to camera.services.camera_photo_receive, and the reply says what became of it:
226 stored (or already there), 550 refused with the reason (not an image, damaged, a bomb…), 552 too
large, 451 storage down (nothing stored: send it again). An upload cut off before its end (the data
connection reset or aborted, or the client gone from the control connection) is never stored: it
is kept for the same account to resume with REST + STOR within VISAGE_FTP_RESUME_SECONDS."""
import errno
import logging
import os
import socket
import sys

from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections

from camera.ftp.spool import SpoolFile
from camera.services import CameraUploadOff, camera_photo_receive
from events.services import StorageUnavailable

logger = logging.getLogger(__name__)


class SpooledUpload(UploadedFile):
    """The spooled file as the upload service takes it: moved into storage like a web upload's
    temporary file, never read into memory."""

    def __init__(self, spool_file: SpoolFile, *, oversize: bool = False):
        super().__init__(file=open(spool_file.spool_path, "rb"), name=spool_file.filename,  # noqa: SIM115
                         content_type=None, size=spool_file.size())
        self.spool_path = spool_file.spool_path
        self.visage_oversize = oversize

    def temporary_file_path(self) -> str:
        return str(self.spool_path)


def _reply(code: int, text: str) -> str:
    return f"{code} " + " ".join(text.split())  # one line, whatever the reason held


_CUT_OFF = {errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT, -1}


class CameraDTPMixin:
    """Data channel: a receiving channel's close decides the reply (see the module's text)."""

    def close(self):
        if not self._closed and self.receive and isinstance(self.file_obj, SpoolFile):
            finished = self.transfer_finished and not _cut_off(sys.exc_info()[1])
            reply = self.cmd_channel.camera_transfer_ended(self.file_obj, finished=finished)
            if self._resp:  # else ABOR or the control connection's end closed it: they answer (or nobody listens)
                self._resp = (reply, logger.info)
        super().close()


def _cut_off(error: BaseException | None) -> bool:
    """asyncore, and pyftpdlib's TLS layer, close a reset connection (or a TLS stream that ends
    without its close_notify: "Unexpected EOF") from inside their except block, exactly as they
    close a clean end of file: the exception being handled is what tells the two apart."""
    if error is None or not error.args:
        return False
    code = getattr(error, "errno", None) or error.args[0]
    return code in _CUT_OFF


class CameraHandlerMixin:
    """Control channel. Class attributes set by camera.ftp.server.build_server: spool, config, sessions."""

    camera_login = None

    def camera_transfer_ended(self, spool_file: SpoolFile, *, finished: bool) -> str:
        spool_file.close()
        self.fs.forget_snapshot()
        if spool_file.oversize:
            return self._camera_receive(spool_file, code=552, oversize=True)
        if not finished or self._client_gone():
            self.spool.keep(spool_file)
            logger.info("%s: upload of %s cut off after %d bytes; kept for a resume", spool_file.username,
                        spool_file.virtual_path, spool_file.size())
            return _reply(426, f"Connection lost after {spool_file.size()} bytes: nothing stored; send the rest "
                               "with REST + STOR, or the whole file again.")
        return self._camera_receive(spool_file, code=550, oversize=False)

    def _camera_receive(self, spool_file: SpoolFile, *, code: int, oversize: bool) -> str:
        close_old_connections()
        upload = SpooledUpload(spool_file, oversize=oversize)
        try:
            outcome = camera_photo_receive(login=spool_file.login, uploaded=upload)
        except (CameraUploadOff, StorageUnavailable) as exc:
            return _reply(550 if isinstance(exc, CameraUploadOff) else 451, str(exc))
        except Exception:
            logger.exception("camera upload of %s failed", spool_file.virtual_path)
            return _reply(451, "Internal error: nothing was stored; send the file again.")
        finally:
            upload.close()
            self.spool.discard(spool_file)
        if outcome.status == "created":
            return _reply(226, f"Stored {outcome.filename} as photo {outcome.photo.id}; processing started.")
        if outcome.status == "duplicate":
            return _reply(226, outcome.reason)
        return _reply(code, outcome.reason)

    def _client_gone(self) -> bool:
        """The client hung up on the control connection too: the data connection's end was its
        death, not the end of the file (FTP's stream mode cannot tell them apart otherwise)."""
        try:
            with socket.socket(fileno=os.dup(self._fileno)) as peek:
                return peek.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def on_file_received(self, file):
        pass  # done in camera_transfer_ended, before the reply

    def on_incomplete_file_received(self, file):
        pass  # kept in the spool for a resume (camera_transfer_ended)

    def flush_account(self):
        """USER again, or REIN: the session's login ends (its count with it)."""
        self._camera_logout()
        super().flush_account()

    def close(self):
        closing = not self._closed
        super().close()  # a transfer still running ends here, while the login is still known
        if closing:
            self._camera_logout()

    def _camera_logout(self) -> None:
        if self.camera_login is not None:
            self.sessions.release(self.camera_login.account_id)
            self.camera_login = None
