"""A guest's way in: resolve a token or code, check the PIN, give consent, start a session.

A "use" of a link is a guest session started: counted with a conditional UPDATE so that two
guests racing for the last use cannot both get it.
"""
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sharing import conf, ratelimit
from sharing.clients import Client
from sharing.consent import CONSENT_VERSION
from sharing.errors import ConsentMissing, LinkGone, LinkNotFound, PinLocked, PinRequired, PinWrong
from sharing.models import GuestConsent, GuestSession, LinkState, ShareLink, session_secret_hash
from sharing.services.links import CODE_LENGTH, normalize_code, token_hash
from core import ratelimit as core_ratelimit


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
    """Nothing if the link has no PIN or the PIN is right; lockout per link and client, and per link.

    Each attempt is counted *before* the hash is checked (an atomic counter), so 40 parallel
    wrong PINs get at most the limit checked; a right PIN gives its count back.
    """
    if not link.has_pin:
        return
    counters = _pin_counters(link, client)
    try:
        for key, limit, _lockout in counters:
            core_ratelimit.check(key=key, limit=limit)
        if not pin:
            raise PinRequired()
        attempts = [(core_ratelimit.hit(key=key, limit=limit), key, limit, lockout) for key, limit, lockout in counters]
    except core_ratelimit.Throttled as exc:
        raise PinLocked(retry_after=exc.retry_after) from None
    if check_password(pin, link.pin_hash):
        for _hits, key, _limit, _lockout in attempts:
            core_ratelimit.release(key=key)
        return
    _pin_failed(attempts)


def _pin_counters(link: ShareLink, client: Client) -> list[tuple[str, core_ratelimit.Limit, int]]:
    """(counter key, limit, lockout seconds): this client on this link, and the link as a whole."""
    per_client = core_ratelimit.Limit(conf.pin_max_failures(), conf.pin_lockout_seconds())
    per_link = conf.pin_failures_per_link()
    return [
        (f"sharing:pin:{link.id}:{client.ip_hash}", per_client, conf.pin_lockout_seconds()),
        (f"sharing:pin-link:{link.id}", per_link, per_link.seconds),
    ]


def _pin_failed(attempts) -> None:
    for hits, key, limit, lockout in attempts:
        if hits >= limit.count:  # this failure used up the last try: the lockout starts now
            core_ratelimit.lock(key=key, limit=limit, seconds=lockout)
            raise PinLocked(retry_after=lockout)
    left = min(limit.count - hits for hits, _key, limit, _lockout in attempts)
    raise PinWrong(f"That PIN is not right. {left} more {'try' if left == 1 else 'tries'} before a pause.")


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
        studio_id=link.studio_id, link=link, secret_hash=session_secret_hash(link_id=link.id, secret=secret),
        expires_at=expires_at,
    )
    GuestConsent.objects.create(
        studio_id=link.studio_id, link=link, session=session, text_version=CONSENT_VERSION, given_at=now,
        ip_hash=client.ip_hash, user_agent=client.user_agent,
    )
    return session, secret
