"""A guest's way in: resolve a token or code, check the PIN, give consent, start a session.

A "use" of a link is a guest session started: counted with a conditional UPDATE so that two
guests racing for the last use cannot both get it.
"""
import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sharing import conf, ratelimit
from sharing.clients import Client
from sharing.consent import CONSENT_VERSION
from sharing.errors import ConsentMissing, LinkGone, LinkNotFound, PinLocked, PinRequired, PinWrong
from sharing.models import GuestConsent, GuestSession, LinkState, ShareLink
from sharing.services.links import CODE_LENGTH, normalize_code, token_hash


def share_link_resolve(*, key: str, client: Client) -> ShareLink:
    """The active link for a token or code; 404 if unknown, 410 if revoked or expired.

    Unknown keys count against the client: past the limit every lookup from it is refused
    (429), which is what makes guessing codes hopeless.
    """
    failures_key = f"lookup-fail:{client.ip_hash}"
    ratelimit.check(key=failures_key, limit=conf.lookup_failures_per_client())
    link = _link_for_key(key)
    if link is None:
        ratelimit.hit(key=failures_key, limit=conf.lookup_failures_per_client())
        raise LinkNotFound()
    if link.state in (LinkState.REVOKED, LinkState.EXPIRED):
        raise LinkGone(link.state)
    return link


def _link_for_key(key: str) -> ShareLink | None:
    links = ShareLink.objects.select_related("event", "studio", "person")
    if len(key) <= CODE_LENGTH + 4:  # a code, perhaps typed as "ABCD-EFGH" or in lower case
        code = normalize_code(key)
        return links.filter(code=code).first() if len(code) == CODE_LENGTH else None
    return links.filter(token_hash=token_hash(key)).first()


def guest_pin_verify(*, link: ShareLink, pin: str | None, client: Client) -> None:
    """Nothing if the link has no PIN or the PIN is right; lockout per link and client."""
    if not link.has_pin:
        return
    lock_key = f"sharing:pin-lock:{link.id}:{client.ip_hash}"
    failures_key = f"sharing:pin-fail:{link.id}:{client.ip_hash}"
    unlock_at = cache.get(lock_key)
    if unlock_at is not None:
        raise PinLocked(retry_after=max(1, int(unlock_at - timezone.now().timestamp())))
    if not pin:
        raise PinRequired()
    if check_password(pin, link.pin_hash):
        cache.delete(failures_key)
        return
    failures = _increment(failures_key, timeout=conf.pin_lockout_seconds())
    left = conf.pin_max_failures() - failures
    if left <= 0:
        lockout = conf.pin_lockout_seconds()
        cache.set(lock_key, timezone.now().timestamp() + lockout, timeout=lockout)
        cache.delete(failures_key)
        raise PinLocked(retry_after=lockout)
    raise PinWrong(f"That PIN is not right. {left} more {'try' if left == 1 else 'tries'} before a 15-minute pause.")


def _increment(key: str, *, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=timeout)
        return 1


@transaction.atomic
def guest_session_start(*, link: ShareLink, consent: bool, client: Client) -> tuple[GuestSession, str]:
    """Record consent and open a session (one use of the link) → (session, secret for the guest)."""
    if not consent:
        raise ConsentMissing()
    now = timezone.now()
    claimed = (
        ShareLink.objects.filter(id=link.id, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(Q(max_uses__isnull=True) | Q(use_count__lt=F("max_uses")))
        .update(use_count=F("use_count") + 1, last_used_at=now)
    )
    if not claimed:
        link.refresh_from_db()
        raise LinkGone(link.state if link.state != LinkState.ACTIVE else LinkState.EXHAUSTED)
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=conf.guest_session_seconds())
    if link.expires_at is not None:
        expires_at = min(expires_at, link.expires_at)
    session = GuestSession.objects.create(
        studio_id=link.studio_id, link=link, secret_hash=session_hash(secret), expires_at=expires_at,
    )
    GuestConsent.objects.create(
        studio_id=link.studio_id, link=link, session=session, text_version=CONSENT_VERSION, given_at=now,
        ip_hash=client.ip_hash, user_agent=client.user_agent,
    )
    return session, secret


def session_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()

