"""Who is asking: the client's IP (behind trusted proxies), stored only as a keyed hash."""
from dataclasses import dataclass

from core.clients import client_ip, ip_hash

__all__ = ["Client", "client_from_request", "client_ip", "ip_hash"]


@dataclass(frozen=True)
class Client:
    ip_hash: str
    user_agent: str


def client_from_request(request) -> Client:
    return Client(ip_hash=ip_hash(client_ip(request)), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
