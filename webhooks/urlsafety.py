"""Where a webhook may point. Checked at registration and again before every send (DNS may
have changed): private, loopback, link-local, multicast, reserved and unspecified addresses are
refused unless VISAGE_WEBHOOKS_ALLOW_PRIVATE, and plain http unless VISAGE_WEBHOOKS_REQUIRE_HTTPS
is off. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged
by that IPv4 address too. The send connects to the address checked here (webhooks.sending), never
to a second resolution of the name (DNS rebinding)."""
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.errors import DomainError
from webhooks.conf import webhooks as webhooks_config

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # RFC 4291, deprecated: ::a.b.c.d
IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # RFC 2765 (SIIT): ::ffff:0:a.b.c.d
# Forms that reach the embedded IPv4 host itself: a public one there is as good as the IPv4 address.
# The others (compatible, translated, Teredo, NAT64 local-use) are judged on the IPv6 address too,
# which ipaddress calls reserved or private: refused whatever they carry.
_TRANSPARENT = ("IPv4-mapped", "NAT64", "6to4")


class WebhookUrlRefused(DomainError):
    status, code = 400, "webhook_url_refused"
    message = "This URL cannot receive webhooks."


@dataclass(frozen=True)
class CheckedUrl:
    """A URL that passed url_check, with the addresses its host resolved to at that moment."""

    url: str
    scheme: str
    hostname: str
    port: int
    addresses: tuple[Address, ...]


def url_check(url: str) -> CheckedUrl:
    """The URL with the addresses deliveries may go to; WebhookUrlRefused with the reason otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlRefused("A webhook URL is an absolute http(s) URL.")
    if parts.username or parts.password:
        raise WebhookUrlRefused("A webhook URL may not carry credentials; verify the signature instead.")
    config = webhooks_config()
    if config.webhooks_require_https and parts.scheme != "https":
        raise WebhookUrlRefused("Webhook URLs must use https.")
    try:
        port = parts.port
    except ValueError:  # urlsplit: "Port out of range 0-65535" or not a number
        port = -1
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    if not 0 < port < 65536:
        raise WebhookUrlRefused("The URL's port must be a number from 1 to 65535.")
    addresses = _addresses(parts.hostname, port)
    if not config.webhooks_allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise WebhookUrlRefused(f"{parts.hostname} resolves to {address}, a private or reserved address "
                                        f"({reason}).")
    return CheckedUrl(url=url, scheme=parts.scheme, hostname=parts.hostname, port=port, addresses=addresses)


def address_refusal(address: Address) -> str | None:
    """Why deliveries may not go to `address` (None: a public unicast address)."""
    for form, embedded in _embedded_ipv4(address):
        reason = _not_public(embedded)
        if reason:
            return f"the {form} form of {embedded}: {reason}"
        if form in _TRANSPARENT:
            return None
    return _not_public(address)


def _not_public(address: Address) -> str | None:
    for reason, refused in (("loopback", address.is_loopback), ("unspecified", address.is_unspecified),
                            ("link-local", address.is_link_local), ("multicast", address.is_multicast),
                            ("private", address.is_private), ("reserved", address.is_reserved),
                            ("not public", not address.is_global)):
        if refused:
            return reason
    return None


def _embedded_ipv4(address: Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    if address.version == 4:
        return []
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    found = []
    if address.ipv4_mapped:
        found.append(("IPv4-mapped", address.ipv4_mapped))
    if address in NAT64_WELL_KNOWN:
        found.append(("NAT64", low32))
    if address in IPV4_COMPATIBLE and int(address) > 1:  # :: and ::1 are themselves, not IPv4
        found.append(("IPv4-compatible", low32))
    if address in IPV4_TRANSLATED:
        found.append(("IPv4-translated", low32))
    if address.sixtofour:
        found.append(("6to4", address.sixtofour))
    if address.teredo:
        found.extend((("Teredo server", address.teredo[0]), ("Teredo client", address.teredo[1])))
    return found


def _addresses(host: str, port: int) -> tuple[Address, ...]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebhookUrlRefused(f"{host} does not resolve ({exc}).") from None
    found = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise WebhookUrlRefused(f"{host} does not resolve.")
    return tuple(found)
