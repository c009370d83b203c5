"""Where a webhook may point. Checked at registration and again before every send (DNS may
have changed): private, loopback, link-local and other non-public addresses are refused unless
VISAGE_WEBHOOKS_ALLOW_PRIVATE, and plain http unless VISAGE_WEBHOOKS_REQUIRE_HTTPS is off."""
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from core.errors import DomainError


class WebhookUrlRefused(DomainError):
    status, code = 400, "webhook_url_refused"
    message = "This URL cannot receive webhooks."


def url_check(url: str) -> None:
    """Raise WebhookUrlRefused with the reason if deliveries may not go to `url`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlRefused("A webhook URL is an absolute http(s) URL.")
    if parts.username or parts.password:
        raise WebhookUrlRefused("A webhook URL may not carry credentials; verify the signature instead.")
    if settings.VISAGE_WEBHOOKS_REQUIRE_HTTPS and parts.scheme != "https":
        raise WebhookUrlRefused("Webhook URLs must use https.")
    if settings.VISAGE_WEBHOOKS_ALLOW_PRIVATE:
        return
    for address in _addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)):
        if not address.is_global or address.is_multicast:
            raise WebhookUrlRefused(f"{parts.hostname} resolves to {address}, a private or reserved address.")


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebhookUrlRefused(f"{host} does not resolve ({exc}).") from None
    found = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        found.append(address)
    return found
