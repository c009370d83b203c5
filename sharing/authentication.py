"""Guests authenticate with the share token (or short code) in the URL, like PostHog's
SharingAccessTokenAuthentication; their session secret rides in a cookie (pages, <img> tags)
or the X-Guest-Session header (API clients).

The tenant (studio) and event come from the link alone, never from the request body.
"""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from sharing.clients import Client, client_from_request
from sharing.errors import LinkGone
from sharing.models import GuestSession, LinkState, ShareLink
from sharing.selectors import guest_session_find
from sharing.services.access import share_link_resolve

SESSION_HEADER = "X-Guest-Session"


@dataclass
class GuestAccess:
    link: ShareLink
    session: GuestSession | None
    client: Client


def session_cookie_name(link: ShareLink) -> str:
    return f"visage_guest_{link.id}"


def guest_access_for(request, key: str) -> GuestAccess:
    """Shared by the API and the pages: link (404/410/429 as GuestError), session if any."""
    client = client_from_request(request)
    link = share_link_resolve(key=key, client=client)
    secret = request.headers.get(SESSION_HEADER) or request.COOKIES.get(session_cookie_name(link))
    session = guest_session_find(link=link, secret=secret)
    if session is None and link.state == LinkState.EXHAUSTED:
        raise LinkGone(LinkState.EXHAUSTED)  # guests already in keep their session; nobody new gets in
    return GuestAccess(link=link, session=session, client=client)


def set_session_cookie(response, *, link: ShareLink, session: GuestSession, secret: str) -> None:
    # Lax: sent on top-level navigation from the QR scan, not on cross-site POSTs (forget-me).
    response.set_cookie(
        session_cookie_name(link), secret, expires=session.expires_at, httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, path="/",
    )


class SharingAccessTokenAuthentication(BaseAuthentication):
    """request.user is anonymous; request.auth is the GuestAccess for the URL's token."""

    def authenticate(self, request):
        key = request.parser_context["kwargs"].get("token", "")
        return AnonymousUser(), guest_access_for(request._request, key)

    def authenticate_header(self, request) -> str:
        return "ShareToken"


class IsShareLinkGuest(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, GuestAccess)


class SharingAccessTokenScheme(OpenApiAuthenticationExtension):
    """Documents the guest credentials in the OpenAPI schema."""

    target_class = SharingAccessTokenAuthentication
    name = "GuestSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": SESSION_HEADER, "description": (
            "The share token (or short code) is the {token} path segment. The guest session secret, returned by "
            "/session or /search, goes in this header (browsers send it as a cookie instead).")}
