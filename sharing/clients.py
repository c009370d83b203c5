"""Who is asking: the client's IP (behind trusted proxies), stored only as a keyed hash, and
the guest's device (sharing.devices), which tells apart the phones behind one address."""
from dataclasses import dataclass

from core.clients import client_ip, ip_hash
from sharing.devices import device_id

__all__ = ["Client", "client_from_request", "client_ip", "ip_hash"]


@dataclass(frozen=True)
class Client:
    ip_hash: str
    user_agent: str
    device: str = ""  # "" where no request stands behind the client (scripts, services' tests)


def client_from_request(request) -> Client:
    return Client(ip_hash=ip_hash(client_ip(request)), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                  device=device_id(request))
