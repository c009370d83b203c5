"""The FTP server's configuration, read from settings once per use (one source: visage/settings/surface.py)."""
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class FtpConfig:
    host: str
    port: int
    public_host: str
    public_port: int
    passive_ports: range | None
    masquerade_address: str | None
    tls_cert: str
    tls_key: str
    require_tls: bool
    max_sessions_per_user: int
    upload_bytes_per_second: int
    max_upload_bytes: int
    resume_seconds: int

    @property
    def tls_mode(self) -> str:
        """"off" (plain FTP only), "optional" (AUTH TLS offered) or "required"."""
        if not self.tls_cert:
            return "off"
        return "required" if self.require_tls else "optional"


def ftp_config() -> FtpConfig:
    if settings.VISAGE_FTP_REQUIRE_TLS and not settings.VISAGE_FTP_TLS_CERT:
        raise ImproperlyConfigured("VISAGE_FTP_REQUIRE_TLS needs VISAGE_FTP_TLS_CERT (and VISAGE_FTP_TLS_KEY).")
    return FtpConfig(
        host=settings.VISAGE_FTP_HOST, port=settings.VISAGE_FTP_PORT,
        public_host=settings.VISAGE_FTP_PUBLIC_HOST,
        public_port=settings.VISAGE_FTP_PUBLIC_PORT or settings.VISAGE_FTP_PORT,
        passive_ports=parse_port_range(settings.VISAGE_FTP_PASSIVE_PORTS),
        masquerade_address=settings.VISAGE_FTP_MASQUERADE_ADDRESS or None,
        tls_cert=settings.VISAGE_FTP_TLS_CERT, tls_key=settings.VISAGE_FTP_TLS_KEY or settings.VISAGE_FTP_TLS_CERT,
        require_tls=settings.VISAGE_FTP_REQUIRE_TLS,
        max_sessions_per_user=settings.VISAGE_FTP_MAX_SESSIONS_PER_USER,
        upload_bytes_per_second=settings.VISAGE_FTP_UPLOAD_BYTES_PER_SECOND,
        max_upload_bytes=settings.VISAGE_MAX_UPLOAD_BYTES, resume_seconds=settings.VISAGE_FTP_RESUME_SECONDS,
    )


def parse_port_range(text: str) -> range | None:
    """"60000-60099" → range(60000, 60100); "" → None (any free port)."""
    if not text.strip():
        return None
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError as exc:
        raise ImproperlyConfigured(f"VISAGE_FTP_PASSIVE_PORTS={text!r}: use FIRST-LAST, e.g. 60000-60099.") from exc
    if not 1024 <= low <= high <= 65535:
        raise ImproperlyConfigured(f"VISAGE_FTP_PASSIVE_PORTS={text!r}: ports between 1024 and 65535, first ≤ last.")
    return range(low, high + 1)


def connection_details(*, credentials, request_host: str) -> dict:
    """What a camera is told (API answer and event page): the public host ("" = the host the web
    request came to), port, account, TLS mode and an ftp:// URI (with the password only when shown)."""
    config = ftp_config()
    host = config.public_host or request_host.rsplit(":", 1)[0].strip("[]")
    port = config.public_port
    return {
        "host": host, "port": port, "username": credentials.username, "password": credentials.password,
        "has_password": credentials.has_password, "tls": config.tls_mode, "enabled": credentials.enabled,
        "uri": f"ftp://{credentials.username}@{host}:{port}/", "rotated_at": credentials.rotated_at,
    }


def login_limits() -> tuple[int, int, tuple[int, int]]:
    """Wrong passwords per account and address, that pair's lockout seconds, and (count, seconds)
    per address across accounts (camera.services.camera_login)."""
    return (settings.VISAGE_FTP_MAX_FAILURES, settings.VISAGE_FTP_LOCKOUT_SECONDS,
            tuple(settings.VISAGE_FTP_FAILURES_PER_CLIENT))
