"""Where a webhook may point. Checked at registration and again before every send (DNS may
have changed): private, loopback, link-local, multicast, reserved and unspecified addresses are
refused (core.netsafety) unless VISAGE_WEBHOOKS_ALLOW_PRIVATE, and plain http unless
VISAGE_WEBHOOKS_REQUIRE_HTTPS is off. The send connects to the address checked here
(webhooks.sending), never to a second resolution of the name (DNS rebinding)."""
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.errors import DomainError
from core.netsafety import Address, AddressRefused, public_addresses
from webhooks.conf import webhooks as webhooks_config


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
    try:
        addresses = public_addresses(parts.hostname, port, allow_private=config.webhooks_allow_private)
    except AddressRefused as exc:
        raise WebhookUrlRefused(str(exc)) from None
    return CheckedUrl(url=url, scheme=parts.scheme, hostname=parts.hostname, port=port, addresses=addresses)
