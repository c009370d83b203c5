"""What the guest pages need of "new photos of me": the offer cookie and the photos page's context."""
from django.conf import settings

from sharing.authentication import GuestAccess
from sharing.models import ShareLink
from sharing.notify.consent import notify_consent_text_for
from sharing.notify.subscriptions import notify_offered, notify_subscription_of, phone_channels_connected


def offer_cookie_name(link: ShareLink) -> str:
    return f"visage_notify_{link.id}"


def offer_cookie_set(response, *, guest: GuestAccess, token: str | None) -> None:
    """The search's sealed face, kept by the guest's own browser until they opt in (or the visit ends)."""
    if token:
        response.set_cookie(offer_cookie_name(guest.link), token, expires=guest.session.expires_at, httponly=True,
                            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE, path="/")


def notify_context(request, guest: GuestAccess) -> dict:
    """What the photos page shows of the opt-in: the form, or that messages are on."""
    session = guest.session
    fresh = set(session.fresh_photo_ids) if session else set()
    if session is None or not notify_offered(session=session):
        return {"notify": None, "fresh": fresh}
    return {"notify": {
        "subscription": notify_subscription_of(session=session),
        "can_subscribe": bool(request.COOKIES.get(offer_cookie_name(guest.link))),
        "phone": phone_channels_connected(studio_id=guest.link.studio_id),
        "consent": notify_consent_text_for(request.LANGUAGE_CODE),
    }, "fresh": fresh}
