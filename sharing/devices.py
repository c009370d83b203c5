"""A guest's device: a random id in a signed cookie, so that limits can tell apart the phones
behind one venue address (one Wi-Fi, one NAT address) instead of locking them all out together.

The cookie proves nothing about a person: an attacker may drop it and get a new one. That is why
the PIN limits also count per address and per link (sharing.pin_limits); the device tier only
keeps one guest's typos from spending everyone else's tries.
"""
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

DEVICE_COOKIE = "visage_device"
_SALT = "visage.sharing.device"
_MAX_AGE = 365 * 86400


def device_id(request) -> str:
    """The request's device id: the signed cookie's, or a new one (set on the response by
    GuestDeviceMiddleware). Forged or tampered cookies count as no cookie."""
    known = getattr(request, "visage_device", None)
    if known:
        return known
    device = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=_SALT, max_age=_MAX_AGE)
    if not device:
        device = secrets.token_urlsafe(16)
        request.visage_device_new = True
    request.visage_device = device
    return device


def device_hash(device: str) -> str:
    """What is stored for a device (a "forget me" request's, a session's): keyed, so a database
    dump cannot be replayed as someone's cookie. "" for no device."""
    return salted_hmac("visage.sharing.device-id", device, algorithm="sha256").hexdigest() if device else ""


class GuestDeviceMiddleware:
    """Sets the device cookie on the answer to a request that was given a new device id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "visage_device_new", False):
            response.set_signed_cookie(
                DEVICE_COOKIE, request.visage_device, salt=_SALT, max_age=_MAX_AGE, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE, path="/")
        return response
