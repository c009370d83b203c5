"""Camera accounts (per event: rotate the password, switch upload on or off) and the FTP server's two
calls into the app: log a camera in, and hand it a finished file. The file goes through the one upload
service (events.services.photos_upload) exactly like a web upload; nothing here checks images."""
import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from camera.conf import login_limits
from camera.models import CameraAccount
from camera.selectors import camera_account_get
from core import ratelimit
from core.ratelimit import Limit
from events.models import Event, PhotoSource
from events.services import UploadOutcome, photos_upload

# No 0/o, 1/l/i: a password is often typed on a camera's own keyboard. 16 characters ≈ 79 bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class CameraCredentials:
    event_id: int
    username: str
    enabled: bool
    has_password: bool
    rotated_at: datetime | None
    password: str | None = None  # only in the answer to a rotation


class CameraLoginRefused(Exception):
    """The FTP server answers 530 with this message."""


class CameraUploadOff(Exception):
    """The event's camera upload was turned off (or the event deleted) during the session."""


@dataclass(frozen=True)
class CameraLogin:
    account_id: int
    event_id: int
    username: str


def camera_username(*, event: Event) -> str:
    """Stable per event and unguessable from the id alone (keyed by SECRET_KEY), short enough for a camera."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"camera-account:{event.id}".encode(), hashlib.sha256).digest()
    return f"e{event.id}-" + base64.b32encode(digest).decode().lower()[:6]


def camera_credentials(*, event: Event, password: str | None = None) -> CameraCredentials:
    account = camera_account_get(event=event)
    if account is None:
        return CameraCredentials(event_id=event.id, username=camera_username(event=event), enabled=True,
                                 has_password=False, rotated_at=None)
    return CameraCredentials(event_id=event.id, username=account.username, enabled=account.enabled,
                             has_password=bool(account.password_hash), rotated_at=account.rotated_at,
                             password=password)


@transaction.atomic
def camera_password_rotate(*, event: Event) -> CameraCredentials:
    """A new password, returned this once; only its hash is kept. The old one stops working at once
    (sessions already logged in finish what they are sending)."""
    password = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    account = _account_for_update(event)
    account.password_hash = make_password(password)
    account.rotated_at = timezone.now()
    account.save(update_fields=["password_hash", "rotated_at", "updated_at"])
    return camera_credentials(event=event, password=password)


@transaction.atomic
def camera_upload_switch(*, event: Event, enabled: bool) -> CameraCredentials:
    account = _account_for_update(event)
    account.enabled = enabled
    account.save(update_fields=["enabled", "updated_at"])
    return camera_credentials(event=event)


def _account_for_update(event: Event) -> CameraAccount:
    account, _ = CameraAccount.objects.select_for_update().get_or_create(
        event=event, defaults={"studio_id": event.studio_id, "username": camera_username(event=event)})
    return account


def camera_login(*, username: str, password: str, client: str) -> CameraLogin:
    """The account for this username and password, or CameraLoginRefused.

    Like sign-in (core.logins), the attempt is counted before the password is checked, per account
    and client address: past VISAGE_FTP_MAX_FAILURES wrong passwords that pair is locked out for
    VISAGE_FTP_LOCKOUT_SECONDS (even the right password waits), so a camera elsewhere keeps working.
    A client address guessing across accounts is capped too. A right password clears its pair."""
    account_key = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    pair = f"ftp:pair:{account_key}:{client}"
    max_failures, lockout_seconds, per_address = login_limits()
    per_pair = Limit(max_failures, lockout_seconds)
    per_client = (f"ftp:client:{client}", Limit(*per_address))
    try:
        ratelimit.check(key=per_client[0], limit=per_client[1])
    except ratelimit.Throttled as exc:
        raise CameraLoginRefused(f"Too many wrong passwords from this address; try again in {exc.retry_after} s.") from exc
    hits, left = ratelimit.count(key=pair, limit=per_pair)
    if hits > per_pair.count:
        raise CameraLoginRefused(f"Too many wrong passwords; this account is locked here for {left} s.")
    account = CameraAccount.objects.filter(username=username.strip()).first()
    if account is None or not account.password_hash:
        make_password(password)  # the same time as a real check: no telling which usernames exist
        right = False
    else:
        right = check_password(password, account.password_hash)
    if not right:
        if hits >= per_pair.count:
            ratelimit.lock(key=pair, limit=per_pair, seconds=lockout_seconds)
        ratelimit.count(key=per_client[0], limit=per_client[1])
        raise CameraLoginRefused("Authentication failed.")
    ratelimit.forget(key=pair)
    if not account.enabled:
        raise CameraLoginRefused("Camera upload is turned off for this event.")
    return CameraLogin(account_id=account.id, event_id=account.event_id, username=account.username)


def camera_photo_receive(*, login: CameraLogin, uploaded: UploadedFile) -> UploadOutcome:
    """A file the camera finished sending: through the one upload service, source ftp (validation,
    SHA-256 dedupe, storage, a queued row and the engine's wake on commit; refusals logged)."""
    account = CameraAccount.objects.select_related("event").filter(id=login.account_id).first()
    if account is None or not account.enabled:
        raise CameraUploadOff("Camera upload was turned off for this event; nothing was stored.")
    return photos_upload(event=account.event, user=None, files=[uploaded], source=PhotoSource.FTP)[0]
