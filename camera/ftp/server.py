"""Build and run the camera FTP server: one thread per connection (a finished upload is hashed,
checked and stored by the upload service in that connection's thread, never blocking the others)."""
import logging
import threading

from django.db import connections
from pyftpdlib.handlers import DTPHandler, FTPHandler, ThrottledDTPHandler
from pyftpdlib.servers import ThreadedFTPServer

from camera.conf import FtpConfig
from camera.ftp.authorizer import CameraAuthorizer, SessionCounter
from camera.ftp.filesystem import CameraFilesystem
from camera.ftp.handler import CameraDTPMixin, CameraHandlerMixin
from camera.ftp.spool import Spool

logger = logging.getLogger(__name__)


class CameraFtpServer(ThreadedFTPServer):
    max_cons = 256
    max_cons_per_ip = 32

    def __init__(self, address, handler, spool: Spool):
        super().__init__(address, handler)
        # pyftpdlib keeps these on the class: two servers in one process (tests) must not share them.
        self._exit, self._lock = threading.Event(), threading.Lock()
        self.spool = spool

    def _loop(self, handler):
        try:
            super()._loop(handler)
        finally:
            connections.close_all()  # this connection thread's database connections

    @property
    def port(self) -> int:
        return self.socket.getsockname()[1]

    def serve_until(self, stop: threading.Event) -> None:
        """Serve until `stop` is set, then end every session and drop the spool."""
        try:
            while not stop.is_set():
                self.serve_forever(timeout=0.5, blocking=False, handle_exit=False)
        finally:
            self.close_all()
            self.spool.close()


def build_server(config: FtpConfig, *, host: str | None = None, port: int | None = None,
                 auth_failed_delay: float = 2.0) -> CameraFtpServer:
    """`auth_failed_delay`: seconds before a wrong password is answered (slows guessing per connection)."""
    spool = Spool(resume_seconds=config.resume_seconds)
    tls = bool(config.tls_cert)
    if tls:
        from pyftpdlib.handlers import TLS_DTPHandler, TLS_FTPHandler  # needs pyOpenSSL

        control_base, data_bases = TLS_FTPHandler, (TLS_DTPHandler, ThrottledDTPHandler)
    else:
        control_base, data_bases = FTPHandler, (ThrottledDTPHandler,)
    data_handler = type("CameraDTPHandler", (CameraDTPMixin, *data_bases), {
        "read_limit": config.upload_bytes_per_second, "timeout": 120})
    attributes = {
        "authorizer": CameraAuthorizer(), "abstracted_fs": CameraFilesystem, "dtp_handler": data_handler,
        "banner": "Visage camera upload ready.", "auth_failed_timeout": auth_failed_delay, "timeout": 300,
        "passive_ports": list(config.passive_ports) if config.passive_ports else None,
        "masquerade_address": config.masquerade_address, "use_sendfile": False,
        "spool": spool, "config": config, "sessions": SessionCounter(config.max_sessions_per_user),
    }
    if tls:
        attributes |= {"certfile": config.tls_cert, "keyfile": config.tls_key, "ssl_context": None,
                       "tls_control_required": config.require_tls, "tls_data_required": config.require_tls}
    handler = type("CameraFTPHandler", (CameraHandlerMixin, control_base), attributes)
    if tls:
        handler.get_ssl_context()  # a bad certificate fails at start, not at a camera's first AUTH TLS
    assert issubclass(data_handler, DTPHandler)
    return CameraFtpServer((host or config.host, config.port if port is None else port), handler, spool)
