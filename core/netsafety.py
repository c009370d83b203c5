"""Whether Visage may connect to a host a customer chose (a webhook URL, a notify channel's
gateway): the name is resolved, and private, loopback, link-local, multicast, reserved and
unspecified addresses are refused, IPv6 forms that carry an IPv4 address (mapped, compatible,
NAT64, 6to4, Teredo) judged by that IPv4 address too. Callers check when the URL is saved and
again right before each connection (the name may resolve elsewhere by then: DNS rebinding).
Moved here from webhooks.urlsafety so that sharing's notify channels use the same rule."""
import ipaddress
import socket

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # RFC 4291, deprecated: ::a.b.c.d
IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # RFC 2765 (SIIT): ::ffff:0:a.b.c.d
# Forms that reach the embedded IPv4 host itself: a public one there is as good as the IPv4 address.
# The others (compatible, translated, Teredo, NAT64 local-use) are judged on the IPv6 address too,
# which ipaddress calls reserved or private: refused whatever they carry.
_TRANSPARENT = ("IPv4-mapped", "NAT64", "6to4")


class AddressRefused(ValueError):
    """The host does not resolve, or resolves to an address Visage may not connect to; the message says which."""


def public_addresses(host: str, port: int | None, *, allow_private: bool) -> tuple[Address, ...]:
    """Every address `host` resolves to now; AddressRefused if any is not public (unless
    `allow_private`: tests and local set-ups whose receiver is on loopback)."""
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise AddressRefused(f"{host} resolves to {address}, a private or reserved address ({reason}).")
    return addresses


def address_refusal(address: Address) -> str | None:
    """Why Visage may not connect to `address` (None: a public unicast address)."""
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


def resolve(host: str, port: int | None) -> tuple[Address, ...]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"{host} does not resolve ({exc}).") from None
    found = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise AddressRefused(f"{host} does not resolve.")
    return tuple(found)
