"""Who is asking: the client's IP (behind trusted proxies), stored only as a keyed hash."""
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

from sharing import conf


@dataclass(frozen=True)
class Client:
    ip_hash: str
    user_agent: str


def client_from_request(request) -> Client:
    return Client(ip_hash=ip_hash(client_ip(request)), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address the outermost trusted proxy saw (never a client-chosen value)."""
    hops = conf.trusted_proxy_hops()
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(ip: str) -> str:
    # Keyed with SECRET_KEY: the hash links a guest's requests together but cannot be reversed
    # by trying all 2^32 IPv4 addresses without the server's secret.
    return salted_hmac("visage.sharing.client-ip", ip, algorithm="sha256").hexdigest()
