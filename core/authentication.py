"""API tokens that expire, and die when their user's password changes.

DRF's Token lives forever; here a token older than VISAGE_API_TOKEN_SECONDS (30 days by
default), or issued before the user's last password change, is refused. POST
/api/v1/auth/token/ then issues a fresh one; /auth/token/rotate/ replaces it at any time.
"""
from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from core import conf


def token_is_valid(token: Token) -> bool:
    user = token.user
    lifetime = timedelta(seconds=conf.api().api_token_seconds)
    if token.created + lifetime <= timezone.now():
        return False
    return user.password_changed_at is None or token.created >= user.password_changed_at


def token_issue(*, user, rotate: bool = False) -> Token:
    """The user's live token, or a new one (always new with rotate: the old one stops working)."""
    token = Token.objects.filter(user=user).select_related("user").first()
    if token is not None and (rotate or not token_is_valid(token)):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not token_is_valid(token):
            raise AuthenticationFailed("This API token has expired or was replaced. Get a new one: POST /api/v1/auth/token/.")
        return user, token
