"""A guest's way in: resolve a token or code, check the PIN, give consent, start a session.

A "use" of a link ("maximum guests") is a guest who searched (selfie links) or opened the
album (person and event links): counted with a conditional UPDATE so that two guests racing for
the last use cannot both get it. A selfie guest who only opens the link spends nothing.
"""
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from sharing import conf, pin_limits, ratelimit
from sharing.clients import Client
from sharing.consent import CONSENT_VERSION
from sharing.devices import device_hash
from sharing.errors import ConsentMissing, LinkGone, LinkNotFound, PinLocked, PinRequired, PinWrong, interpolated
from sharing.models import GuestConsent, GuestSession, LinkState, Scope, ShareLink, session_secret_hash
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
    """Nothing if the link has no PIN or the PIN is right; else PinWrong, or PinLocked with the wait
    (per device, per address, per link: sharing.pin_limits)."""
    if not link.has_pin:
        return
    tiers = pin_limits.tiers(link_id=link.id, client=client)
    try:
        pin_limits.refuse_while_waiting(tiers)
        if not pin:
            raise PinRequired()
        hits = pin_limits.claim(tiers)
    except core_ratelimit.Throttled as exc:
        raise PinLocked.waiting(exc.retry_after) from None
    if check_password(pin, link.pin_hash):
        pin_limits.succeeded(tiers)
        return
    wait, left = pin_limits.failed(tiers, hits)
    if wait:
        raise PinLocked.waiting(wait)
    raise PinWrong(interpolated(ngettext_lazy("That PIN is not right. %(left)d more try before a pause.",
                                              "That PIN is not right. %(left)d more tries before a pause.", "left"),
                                left=left))


@transaction.atomic
def guest_session_start(*, link: ShareLink, consent: bool, client: Client) -> tuple[GuestSession, str]:
    """Record consent and open a session → (session, secret for the guest). Person and event links
    spend one use here; selfie links at the guest's first search (guest_use_claim)."""
    if not consent:
        raise ConsentMissing()
    now = timezone.now()
    if link.scope != Scope.SELFIE:
        _use_claim(link, now)
    elif link.state != LinkState.ACTIVE:
        raise LinkGone(link.state)
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=conf.guest_session_seconds())
    if link.expires_at is not None:
        expires_at = min(expires_at, link.expires_at)
    session = GuestSession.objects.create(
        studio_id=link.studio_id, link=link, secret_hash=session_secret_hash(link_id=link.id, secret=secret),
        expires_at=expires_at, device_hash=device_hash(client.device),
    )
    GuestConsent.objects.create(
        studio_id=link.studio_id, link=link, session=session, text_version=CONSENT_VERSION, given_at=now,
        ip_hash=client.ip_hash, user_agent=client.user_agent,
    )
    return session, secret


@transaction.atomic
def guest_use_claim(*, session: GuestSession) -> None:
    """A selfie guest's first search spends one of the link's uses (LinkGone once none is left);
    later searches of the same session spend nothing."""
    link = session.link
    if link.scope != Scope.SELFIE or not GuestSession.objects.filter(id=session.id, searched=False).update(searched=True):
        return
    _use_claim(link, timezone.now())
    session.searched = True


def _use_claim(link: ShareLink, now) -> None:
    claimed = (
        ShareLink.objects.filter(id=link.id, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(Q(max_uses__isnull=True) | Q(use_count__lt=F("max_uses")))
        .update(use_count=F("use_count") + 1, last_used_at=now)
    )
    if not claimed:
        link.refresh_from_db()
        raise LinkGone(link.state if link.state != LinkState.ACTIVE else LinkState.EXHAUSTED)
