"""The studio's settings that reach guests: its name, colour and logo on the guest pages, the text of
watermarked previews, the retention period, and the defaults of a new share link. One row per studio
(sharing.models.StudioPolicy); the name lives on the Studio (core.tenancy.services.studio_rename).

The colour is a strict #rrggbb (nothing else reaches a page) and the text on it is chosen for contrast
(WCAG 2: black or white, whichever reads better; one of them always reaches 4.5:1). The logo is decoded
once, with its size and pixel count capped before decoding, and stored re-encoded as a small PNG: no
metadata, no second format hidden in the file."""
import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from core.errors import InvalidRequest
from core.storage import object_storage
from core.tenancy.models import Studio
from core.tenancy.services import studio_rename
from sharing.models import Download, StudioPolicy
from sharing.selectors import studio_policy_get

HEX_COLOR = re.compile(r"^#[0-9a-f]{6}$")
LOGO_MAX_BYTES = 1024 * 1024  # a logo is a few KB; a megabyte is generous and cheap to decode
LOGO_MAX_PIXELS = 4096 * 4096  # checked from the header, before any pixel is decoded
LOGO_FORMATS = ("PNG", "JPEG", "WEBP")
LOGO_SIDE = 512  # stored and shown no larger than this
# Pure black and white: with them the better one reaches at least 4.58:1 on every colour (a softer dark
# ink does not: #777777 would get 4.48:1 at best; tests/sharing/test_studio_settings.py).
DARK_INK, LIGHT_INK = "#000000", "#ffffff"
EDITABLE = ("retention_days", "brand_color", "watermark_text", "link_expiry_days", "link_max_uses",
            "link_download", "link_watermark", "link_pin_required", "consent_note")
CONSENT_NOTE_MAX = 1000


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def brand_ink(color: str) -> str:
    """The text colour that reads best on `color` (≥ 4.5:1 for every colour)."""
    return max((DARK_INK, LIGHT_INK), key=lambda ink: contrast_ratio(color, ink))


def brand_color_clean(value: str) -> str:
    value = (value or "").strip().lower()
    if value and not HEX_COLOR.match(value):
        raise InvalidRequest("Give the colour as #rrggbb, e.g. #0f766e.")
    return value


def _text_clean(value: str, *, limit: int, what: str) -> str:
    value = " ".join((value or "").split())  # one line: no control characters, no line breaks
    if len(value) > limit:
        raise InvalidRequest(f"The {what} is at most {limit} characters.")
    return value


@transaction.atomic
def studio_settings_update(*, studio: Studio, name: str | None = None, **fields) -> StudioPolicy:
    """Change any of EDITABLE (and the studio's name); the rest stays as it is."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidRequest(f"Unknown settings: {', '.join(sorted(unknown))}.")
    if name is not None:
        try:
            studio_rename(studio=studio, name=name)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
    policy = studio_policy_get(studio=studio)
    if "brand_color" in fields:
        fields["brand_color"] = brand_color_clean(fields["brand_color"])
    if "watermark_text" in fields:
        fields["watermark_text"] = _text_clean(fields["watermark_text"], limit=60, what="watermark text")
    if fields.get("link_download", Download.ORIGINALS) not in Download.values:
        raise InvalidRequest(f"Downloads are one of {', '.join(Download.values)}.")
    if "consent_note" in fields:
        note = "\n".join(" ".join(line.split()) for line in (fields["consent_note"] or "").strip().splitlines())
        if len(note) > CONSENT_NOTE_MAX:
            raise InvalidRequest(f"The consent note is at most {CONSENT_NOTE_MAX} characters.")
        if note != policy.consent_note:  # a new wording: consents given from now on record its new version
            policy.consent_note_version += 1
        fields["consent_note"] = note
    for field in ("retention_days", "link_expiry_days", "link_max_uses"):
        if fields.get(field) is not None and not 1 <= fields[field] <= 100000:
            raise InvalidRequest(f"{field} is a whole number from 1.")
    for field, value in fields.items():
        setattr(policy, field, value)
    policy.save()
    return policy


def _logo_png(content: bytes) -> bytes:
    if len(content) > LOGO_MAX_BYTES:
        raise InvalidRequest(f"The logo is larger than {LOGO_MAX_BYTES // 1024} KB: save it smaller.")
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in LOGO_FORMATS:
                raise InvalidRequest("The logo must be a PNG, JPEG or WebP image.")
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise InvalidRequest("The logo has too many pixels: at most 4096 × 4096.")
            image.load()
            image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InvalidRequest("This file is not an image we can read: use a PNG, JPEG or WebP.") from None
    image.thumbnail((LOGO_SIDE, LOGO_SIDE))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@transaction.atomic
def studio_logo_set(*, studio: Studio, content: bytes) -> StudioPolicy:
    """Store the logo (re-encoded PNG) under the studio's prefix; the old one goes once this one is saved."""
    png = _logo_png(content)
    policy = studio_policy_get(studio=studio)
    old, storage = policy.logo_key, object_storage()
    key = f"{studio.id}/studio/logo-{secrets.token_hex(6)}.png"
    if storage.save(key, ContentFile(png)) != key:
        raise RuntimeError(f"storage refused key {key!r}")
    policy.logo_key = key
    policy.save()
    if old:
        transaction.on_commit(lambda: storage.delete(old))
    return policy


@transaction.atomic
def studio_logo_clear(*, studio: Studio) -> StudioPolicy:
    policy = studio_policy_get(studio=studio)
    old, policy.logo_key = policy.logo_key, ""
    policy.save()
    if old:
        transaction.on_commit(lambda: object_storage().delete(old))
    return policy


def studio_logo_bytes(*, studio_id: int) -> bytes | None:
    key = StudioPolicy.objects.filter(studio_id=studio_id).values_list("logo_key", flat=True).first()
    if not key:
        return None
    with object_storage().open(key, "rb") as handle:
        return handle.read()


@dataclass(frozen=True)
class LinkDefaults:
    expires_at: datetime | None
    max_uses: int | None
    download: str
    watermark: bool
    pin_required: bool


def link_defaults(*, studio: Studio) -> LinkDefaults:
    """What a new share link starts with where its creator says nothing else."""
    policy = studio_policy_get(studio=studio)
    days = policy.link_expiry_days
    return LinkDefaults(expires_at=timezone.now() + timedelta(days=days) if days else None,
                        max_uses=policy.link_max_uses, download=policy.link_download,
                        watermark=policy.link_watermark, pin_required=policy.link_pin_required)


def watermark_text(*, studio: Studio) -> str:
    """The text of the studio's watermarked previews: its own words, else its name."""
    policy = StudioPolicy.objects.filter(studio=studio).values_list("watermark_text", flat=True).first()
    return policy or studio.name


def link_fields_with_defaults(*, studio: Studio, fields: dict) -> dict:
    """A new link's attributes: those given, the studio's defaults for the rest (expiry, uses, downloads,
    watermark); a studio that requires a PIN gets a 400 for a link without one."""
    defaults = link_defaults(studio=studio)
    filled = {"expires_at": defaults.expires_at, "max_uses": defaults.max_uses, "download": defaults.download,
              "watermark": defaults.watermark, **fields}
    if defaults.pin_required and not filled.get("pin"):
        raise InvalidRequest("This studio's links need a PIN (studio settings): give one of 4 to 8 digits.")
    return filled
