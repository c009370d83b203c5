"""Studio API keys on the API: `Authorization: Api-Key <key>` and what each scope may do.

The key's service account is a member of its studio only (core.tenancy.api_keys), so the scoped
views already keep it inside that studio; ApiKeyScopePermission (a default permission class)
narrows it further to its scope. What each scope may do is the table below, by route name: a new
route is read-only for read keys and closed to upload keys until it is listed here. (The schema's
security scheme for keys is core.openapi.ApiKeyScheme.)
"""
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.tenancy.api_keys import ApiKeyRevoked, ApiKeyUnknown, api_key_authenticate, api_key_touch
from core.tenancy.models import ApiKeyScope, StudioApiKey

KEYWORD = "Api-Key"

# Writes an upload key may make besides reading: create events, upload photos.
UPLOAD_WRITES = frozenset({("POST", "api:event-list"), ("POST", "api:event-photos")})
# Routes no key may use at all, whatever its scope: keys never mint keys, and a key must not turn
# itself into a user token that would outlive its revocation.
# Nor do keys manage the studio's people (its team).
USER_ONLY_ROUTES = frozenset({"api:studio-api-keys", "api:studio-api-key-detail", "api:auth-token-rotate",
                              "api:studio-members", "api:studio-member-detail"})


def key_may(scope: str, method: str, view_name: str) -> bool:
    """The one table of what a key's scope allows (method + resolver view name)."""
    if view_name in USER_ONLY_ROUTES:
        return False
    if method in SAFE_METHODS:
        return True
    if scope == ApiKeyScope.UPLOAD:
        return (method, view_name) in UPLOAD_WRITES
    return scope == ApiKeyScope.FULL


class ApiKeyAuthentication(BaseAuthentication):
    """request.user is the key's service account; request.auth the StudioApiKey."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(f"Send the key as one word: 'Authorization: {KEYWORD} <key>'.")
        try:
            api_key = api_key_authenticate(parts[1].decode())
        except (UnicodeError, ApiKeyUnknown):
            raise AuthenticationFailed("Unknown API key. Keys are shown once, when created: check it was copied "
                                       "whole, or ask a studio owner or admin for a new one.") from None
        except ApiKeyRevoked as revoked:
            why = f" ({revoked.api_key.revoked_reason})" if revoked.api_key.revoked_reason else ""
            raise AuthenticationFailed(f"This API key ({revoked.api_key.prefix}…) was revoked on "
                                       f"{revoked.api_key.revoked_at:%Y-%m-%d %H:%M} UTC{why}. Ask a studio owner "
                                       "or admin for a new one.") from None
        api_key_touch(api_key=api_key)
        return api_key.service_user, api_key

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiKeyScopePermission(BasePermission):
    """For API-key requests only: the request must be within the key's scope (key_may)."""

    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        if not isinstance(api_key, StudioApiKey):
            return True
        match = request.resolver_match
        if not key_may(api_key.scope, request.method, match.view_name if match else ""):
            if match and match.view_name in USER_ONLY_ROUTES:
                raise PermissionDenied("API keys cannot do this: sign in as a studio owner or admin.")
            raise PermissionDenied(f"This API key's scope ({api_key.scope}) does not allow this request.")
        return True

