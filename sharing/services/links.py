"""Creating, changing and revoking share links.

The token (192 random bits) is returned once, by share_link_create; only its SHA-256 is
stored. The QR code must encode it, so the QR (PNG + SVG) is rendered at creation and kept in
object storage under the event's prefix (deleted with the event, or when the link is revoked),
where only the link's managers can fetch it by link id.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import InvalidRequest
from events.models import Event, Photo
from core.storage import event_prefix, object_storage
from recognition.models import Person
from sharing import codes, pin_limits
from sharing.models import Download, Scope, ShareLink
from core.tenancy.models import User

TOKEN_BYTES = 24  # 192 bits, 32 URL-safe characters
# No 0/O, 1/I/L: codes are read off a card and typed on a phone. 31^8 ~ 8.5e11 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
UPDATABLE = ("label", "expires_at", "max_uses", "download", "watermark")


class ShareLinkInvalid(InvalidRequest):
    """The requested link makes no sense (e.g. a person from another event); a 400 `invalid`, from
    the one exception handler (core.api_errors)."""


@dataclass(frozen=True)
class CreatedLink:
    link: ShareLink
    token: str
    url: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def link_url(*, base_url: str, key: str) -> str:
    return f"{base_url.rstrip('/')}/s/{key}"


def qr_key(link: ShareLink, fmt: str) -> str:
    return f"{event_prefix(studio_id=link.studio_id, event_id=link.event_id)}share-links/{link.id}/qr.{fmt}"


def share_link_create(
    *, event: Event, user: User | None, base_url: str, scope: str = Scope.SELFIE, person: Person | None = None,
    label: str = "", expires_at: datetime | None = None, max_uses: int | None = None, pin: str = "",
    download: str = Download.ORIGINALS, watermark: bool = False, photo_ids: list[int] | None = None,
) -> CreatedLink:
    _check_scope(event=event, scope=scope, person=person)
    photos = _selected_photos(event=event, scope=scope, photo_ids=photo_ids)
    _check_expiry(expires_at)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():  # a photos link never exists without its selection
        link = _insert_with_unique_code(
            studio_id=event.studio_id, event=event, created_by=user, label=label, scope=scope,
            person=person if scope == Scope.PERSON else None, token_hash=token_hash(token),
            pin_hash=make_password(pin) if pin else "", expires_at=expires_at, max_uses=max_uses,
            download=download, watermark=watermark,
        )
        if photos:
            link.photos.set(photos)
    url = link_url(base_url=base_url, key=token)
    _store(qr_key(link, "png"), codes.qr_png(url))
    _store(qr_key(link, "svg"), codes.qr_svg(url))
    return CreatedLink(link=link, token=token, url=url)


def _store(key: str, content: bytes) -> None:
    storage = object_storage()
    if storage.exists(key):  # left by a rolled-back attempt: never serve a stale QR
        storage.delete(key)
    if storage.save(key, ContentFile(content)) != key:
        raise RuntimeError(f"storage refused key {key!r}")


def _insert_with_unique_code(**fields) -> ShareLink:
    for _ in range(5):  # a collision among 8.5e11 codes is rare; retrying is cheaper than checking
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return ShareLink.objects.create(code=code, **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free share code")


def share_link_update(*, link: ShareLink, pin: str | None = None, **fields) -> ShareLink:
    """Change access attributes; `pin=""` removes the PIN, `pin=None` leaves it as it is."""
    if link.revoked_at is not None:
        raise ShareLinkInvalid("A revoked link cannot be changed; create a new one.")
    if "expires_at" in fields:
        _check_expiry(fields["expires_at"])
    changed = [name for name in UPDATABLE if name in fields]
    for name in changed:
        setattr(link, name, fields[name])
    if pin is not None:
        link.pin_hash = make_password(pin) if pin else ""
        changed.append("pin_hash")
    link.save(update_fields=[*changed, "updated_at"])
    return link


def share_link_revoke(*, link: ShareLink) -> ShareLink:
    """Switch the link off for good; its QR images (which carry the token) are deleted."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
    storage = object_storage()
    for fmt in ("png", "svg"):
        storage.delete(qr_key(link, fmt))
    return link


def share_link_unlock(*, link: ShareLink) -> ShareLink:
    """The organizer's "unlock": every wrong PIN counted on the link is forgotten, so locked-out
    devices, paused addresses and a paused link get their tries back at once."""
    pin_limits.unlock(link_id=link.id)
    return link


def _check_scope(*, event: Event, scope: str, person: Person | None) -> None:
    if scope == Scope.PERSON and (person is None or person.event_id != event.id):
        raise ShareLinkInvalid("A person link needs a person of this event.")
    if scope != Scope.PERSON and person is not None:
        raise ShareLinkInvalid("Only person links take a person.")


def _selected_photos(*, event: Event, scope: str, photo_ids: list[int] | None) -> list[int]:
    """A photos link's selection: one or more of this event's photos (another event's id is refused)."""
    wanted = set(photo_ids or [])
    if scope != Scope.PHOTOS:
        if wanted:
            raise ShareLinkInvalid("Only photos links take photo_ids.")
        return []
    found = list(Photo.objects.filter(event=event, id__in=wanted).values_list("id", flat=True))
    if not wanted or len(found) != len(wanted):
        raise ShareLinkInvalid("A photos link needs one or more photos of this event.")
    return found


def _check_expiry(expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise ShareLinkInvalid("The expiry must be in the future.")
