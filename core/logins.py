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

from django.contrib.auth import authenticate

from core import conf, ratelimit
from core.clients import client_key


def login_attempt(*, request, email: str, password: str):
    """The active user with this email and password, or None; raises ratelimit.Throttled (with
    the seconds to wait) when this attempt must wait, even for the right password."""
    email = email.strip().lower()
    account, client = hashlib.sha256(email.encode()).hexdigest(), client_key(request)
    pair, known = f"login:pair:{account}:{client}", f"login:known:{account}:{client}"
    config = conf.login()
    per_client = (f"login:client:{client}", config.per_client)
    per_account = (f"login:account:{account}", config.per_account)
    is_known = ratelimit.marked(key=known)
    capped = [per_client] if is_known else [per_client, per_account]
    for key, limit in capped:
        ratelimit.check(key=key, limit=limit)
    failures = ratelimit.backoff_claim(key=pair, backoff=config.backoff)
    counted = [per_client] + ([per_account] if failures <= config.login_free_failures else [])
    for key, limit in counted:
        ratelimit.count(key=key, limit=limit)
    user = authenticate(request, email=email, password=password)
    if user is None or not user.is_active:
        return None
    ratelimit.forget(key=pair)
    for key, _limit in counted:
        ratelimit.release(key=key)
    ratelimit.mark(key=known, seconds=config.login_known_client_days * 86400)
    return user
