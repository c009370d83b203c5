"""Signing in with a password (web form and POST /api/v1/auth/token/), throttled so that guessing
is slow without letting anyone lock the owner out.

- Per account *and* client address: a few free failures, then a wait that doubles with each
  failure (2 s, 4 s, … 15 min). Only that client waits; the owner elsewhere signs in at once.
- Per client, across accounts: a cap per window (one address trying many accounts).
- Per account, across clients: a cap per window for the failures clients make *within their free
  allowance* (a distributed guess; one slowed client never reaches it). Past it, clients that
  never signed in to the account wait for the window's end; known clients (a right password from
  that address in the last VISAGE_LOGIN_KNOWN_CLIENT_DAYS) are exempt.

Attempts are claimed before the password is checked (parallel guesses cannot share one slot); a
right password clears its client's failures and gives its counts back.
"""
import hashlib

from django.conf import settings
from django.contrib.auth import authenticate

from core import ratelimit
from core.clients import client_key
from core.ratelimit import Backoff, Limit


def _backoff() -> Backoff:
    return Backoff(free=settings.VISAGE_LOGIN_FREE_FAILURES, first=settings.VISAGE_LOGIN_BACKOFF_FIRST_SECONDS,
                   longest=settings.VISAGE_LOGIN_BACKOFF_MAX_SECONDS, memory=settings.VISAGE_LOGIN_BACKOFF_RESET_SECONDS)


def login_attempt(*, request, email: str, password: str):
    """The active user with this email and password, or None; raises ratelimit.Throttled (with
    the seconds to wait) when this attempt must wait, even for the right password."""
    email = email.strip().lower()
    account, client = hashlib.sha256(email.encode()).hexdigest(), client_key(request)
    pair, known = f"login:pair:{account}:{client}", f"login:known:{account}:{client}"
    per_client = (f"login:client:{client}", Limit(*settings.VISAGE_LOGIN_FAILURES_PER_CLIENT))
    per_account = (f"login:account:{account}", Limit(*settings.VISAGE_LOGIN_FAILURES_PER_ACCOUNT))
    is_known = ratelimit.marked(key=known)
    capped = [per_client] if is_known else [per_client, per_account]
    for key, limit in capped:
        ratelimit.check(key=key, limit=limit)
    failures = ratelimit.backoff_claim(key=pair, backoff=_backoff())
    counted = [per_client] + ([per_account] if failures <= settings.VISAGE_LOGIN_FREE_FAILURES else [])
    for key, limit in counted:
        ratelimit.count(key=key, limit=limit)
    user = authenticate(request, email=email, password=password)
    if user is None or not user.is_active:
        return None
    ratelimit.forget(key=pair)
    for key, _limit in counted:
        ratelimit.release(key=key)
    ratelimit.mark(key=known, seconds=settings.VISAGE_LOGIN_KNOWN_CLIENT_DAYS * 86400)
    return user
