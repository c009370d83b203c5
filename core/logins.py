"""Signing in with a password (web form and POST /api/v1/auth/token/), throttled.

Each attempt is counted before the password is checked, per account (an attacker with many
addresses) and per client (one address trying many accounts); a right password gives its
count back, so people who sign in often are never locked out by their own successes.
"""
import hashlib

from django.conf import settings
from django.contrib.auth import authenticate

from core import ratelimit
from core.clients import client_key
from core.ratelimit import Limit


def _limits(request, email: str) -> list[tuple[str, Limit]]:
    account = hashlib.sha256(email.encode()).hexdigest()
    return [
        (f"login:account:{account}", Limit(*getattr(settings, "VISAGE_LOGIN_FAILURES_PER_ACCOUNT", (10, 900)))),
        (f"login:client:{client_key(request)}", Limit(*getattr(settings, "VISAGE_LOGIN_FAILURES_PER_CLIENT", (50, 900)))),
    ]


def login_attempt(*, request, email: str, password: str):
    """The active user with this email and password, or None; raises ratelimit.Throttled once
    the account or the client has used up its attempts (even for the right password)."""
    email = email.strip().lower()
    limits = _limits(request, email)
    for key, limit in limits:
        ratelimit.check(key=key, limit=limit)
    for key, limit in limits:
        ratelimit.hit(key=key, limit=limit)
    user = authenticate(request, email=email, password=password)
    if user is None or not user.is_active:
        return None
    for key, _limit in limits:
        ratelimit.release(key=key)
    return user
