"""Who is asking: the client's IP (behind trusted proxies), used only as a keyed hash."""
from django.utils.crypto import salted_hmac

from core import conf


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address the outermost trusted proxy saw (never a client-chosen value)."""
    hops = conf.api().trusted_proxy_hops
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(ip: str) -> str:
    # Keyed with SECRET_KEY: the hash links a guest's requests together but cannot be reversed
    # by trying all 2^32 IPv4 addresses without the server's secret.
    return salted_hmac("visage.sharing.client-ip", ip, algorithm="sha256").hexdigest()


def client_key(request) -> str:
    return ip_hash(client_ip(request))
