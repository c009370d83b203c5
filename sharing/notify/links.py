"""The links in every message: back to the gallery (a new visit restored from the opt-in, no
selfie needed, the message's photos marked new) and unsubscribe (deletes the opt-in).

Both are signed with SECRET_KEY (django.core.signing, a salt each) and name the opt-in by its
random uid: a tampered link fails its signature, an old link of a deleted opt-in names nothing,
and a link works only on the share link it was opted in on. They expire with the notify window.
"""
import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sharing import conf
from sharing.errors import NotifyLinkInvalid
from sharing.models import GuestSession, NotifyMessage, NotifySubscription, ShareLink, session_secret_hash

_BACK_SALT = "visage.notify.back"
_UNSUBSCRIBE_SALT = "visage.notify.unsubscribe"


def _max_age() -> int:
    return (conf.notify_window_days() + 1) * 86400


def back_url(*, subscription: NotifySubscription, message: NotifyMessage, photo_id: int | None = None) -> str:
    token = signing.dumps({"s": str(subscription.uid), "m": message.id}, salt=_BACK_SALT, compress=True)
    url = subscription.base_url + reverse("sharing:notify-back", args=[subscription.link.code, token])
    return f"{url}?photo={photo_id}" if photo_id else url


def unsubscribe_url(*, subscription: NotifySubscription) -> str:
    token = signing.dumps({"s": str(subscription.uid)}, salt=_UNSUBSCRIBE_SALT, compress=True)
    return subscription.base_url + reverse("sharing:notify-unsubscribe", args=[token])


def _load(token: str, salt: str) -> dict:
    try:
        data = signing.loads(token[:1000], salt=salt, max_age=_max_age())
    except signing.BadSignature:
        raise NotifyLinkInvalid() from None
    return data if isinstance(data, dict) and isinstance(data.get("s"), str) else {}


def subscription_for_unsubscribe(*, token: str) -> NotifySubscription | None:
    """The opt-in an unsubscribe link names; None once it is gone (unsubscribing twice is fine);
    NotifyLinkInvalid for a forged or expired link."""
    data = _load(token, _UNSUBSCRIBE_SALT)
    return NotifySubscription.objects.filter(uid=data.get("s")).first() if data else None


@transaction.atomic
def guest_session_restore(*, link: ShareLink, token: str) -> tuple[GuestSession, str]:
    """A message's link opened on `link`: a new visit holding what the opt-in matched, the
    message's photos marked new → (session, secret for the cookie). Another link's, a deleted
    opt-in's, an expired or tampered token: NotifyLinkInvalid."""
    data = _load(token, _BACK_SALT)
    now = timezone.now()
    subscription = NotifySubscription.objects.filter(uid=data.get("s"), link=link, expires_at__gt=now).first()
    if subscription is None:
        raise NotifyLinkInvalid()
    message = NotifyMessage.objects.filter(id=data.get("m"), subscription=subscription).first()
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=conf.guest_session_seconds())
    if link.expires_at is not None:
        expires_at = min(expires_at, link.expires_at)
    matches = subscription.matches
    session = GuestSession.objects.create(
        studio_id=link.studio_id, link=link, secret_hash=session_secret_hash(link_id=link.id, secret=secret),
        expires_at=expires_at, device_hash=subscription.device_hash, searched=True, matches=matches,
        fresh_photo_ids=message.photo_ids if message else [], notify_subscription=subscription,
    )
    return session, secret
