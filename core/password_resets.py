""""Forgot password?" throttling, beside sign-in's (core.logins): a client address may ask a few times
an hour, and one account gets a few reset e-mails an hour whoever asks. Past the account's share the
page answers exactly as for an unknown address and sends nothing, so neither the answer nor the
limit tells whether an address has an account (docs/api.md, "Sign-in throttling")."""
import hashlib

from core import conf, ratelimit
from core.clients import client_key


def password_reset_allowed(*, request, email: str) -> bool:
    """Count one request: raises ratelimit.Throttled when this client asked too often; False when this
    address (known or not: both are counted) had its share of e-mails, True when one may be sent."""
    config = conf.password_resets()
    ratelimit.hit(key=f"pwreset:client:{client_key(request)}", limit=ratelimit.Limit(*config.password_resets_per_client))
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    try:
        ratelimit.hit(key=f"pwreset:address:{address}", limit=ratelimit.Limit(*config.password_resets_per_address))
    except ratelimit.Throttled:
        return False
    return True
