"""A studio's phone channels: Apprise URLs (SMS and WhatsApp gateways, Telegram, JSON/form webhooks).

The URL carries the gateway's credentials, so it is sealed under the master key
(sharing.notify.sealing) and never shown again after saving: the API lists the scheme and the
label. It must hold the placeholder `{phone}` where the guest's number goes, e.g.
`twilio://SID:TOKEN@+15550001111/{phone}` or `json://sms-gateway.example/send?:to={phone}`.
Apprise (PyPI `apprise`) was chosen because one library speaks to ~100 services with one URL
syntax, which is what lets a studio bring whichever SMS or chat provider it already pays for.

Where the URL names the server Visage connects to (json://, form://, xml://, a self-hosted SMSEagle
or Signal gateway), that host must resolve to public addresses only, as a webhook's must
(core.netsafety): checked when the channel is saved and again right before every send, so that a
name that resolves to a private or loopback address by then (DNS rebinding) is never sent to.
VISAGE_NOTIFY_CHANNELS_ALLOW_PRIVATE (on in the local and test profiles) allows them.
"""
from urllib.parse import quote, urlsplit

import apprise
from django.db.models import QuerySet

from core.errors import DomainError
from core.netsafety import AddressRefused, public_addresses
from core.tenancy.models import Studio
from sharing import conf
from sharing.models import NotifyChannel
from sharing.notify import sealing

PLACEHOLDER = "{phone}"
SAMPLE_PHONE = "+15550100000"
# Services that reach a phone (or a gateway that does); local desktop/system notifiers are refused.
SCHEMES = frozenset({
    "json", "jsons", "form", "forms", "xml", "xmls", "tgram", "twilio", "whatsapp", "vonage", "nexmo", "clicksend",
    "sinch", "plivo", "msgbird", "bulksms", "d7sms", "signal", "signals", "sns", "msg91", "smseagle", "smseagles",
    "httpsms", "seven", "bulkvs", "smsmgr", "atalk", "threema",
})
# Schemes whose URL host is the server Visage connects to (the others reach their service's own host).
HOST_SCHEMES = frozenset({"json", "jsons", "form", "forms", "xml", "xmls", "smseagle", "smseagles", "signal", "signals"})
MAX_CHANNELS = 10


class ChannelInvalid(DomainError):
    status, code = 400, "channel_invalid"


class ChannelNotFound(DomainError):
    status, code = 404, "not_found"
    message = "No such notification channel."


class PhoneDeliveryFailed(Exception):
    pass


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def channel_create(*, studio: Studio, user, url: str, label: str = "") -> NotifyChannel:
    url = url.strip()
    scheme = _scheme(url)
    if scheme not in SCHEMES:
        raise ChannelInvalid(f"Use an Apprise URL of a messaging service ({', '.join(sorted(SCHEMES))}).")
    if PLACEHOLDER not in url:
        raise ChannelInvalid("Put {phone} where the guest's number goes, e.g. twilio://SID:TOKEN@+15550001111/{phone}.")
    if apprise.Apprise.instantiate(url.replace(PLACEHOLDER, quote(SAMPLE_PHONE, safe=""))) is None:
        raise ChannelInvalid("Apprise does not accept this URL: check the service's URL format.")
    refusal = gateway_refusal(url)
    if refusal:
        raise ChannelInvalid(f"This channel's server cannot be used: {refusal} Visage sends only to public addresses.")
    if NotifyChannel.objects.filter(studio=studio).count() >= MAX_CHANNELS:
        raise ChannelInvalid(f"A studio connects at most {MAX_CHANNELS} channels.")
    return NotifyChannel.objects.create(studio=studio, label=label, scheme=scheme, created_by=user,
                                        url_ciphertext=sealing.channel_url_seal(studio_id=studio.id, url=url))


def gateway_refusal(url: str) -> str | None:
    """Why Visage may not connect to the server this URL names now (None: public, or a service's own host)."""
    if _scheme(url) not in HOST_SCHEMES or conf.notify_channels_allow_private():
        return None
    parts = urlsplit(url.replace(PLACEHOLDER, quote(SAMPLE_PHONE, safe="")))
    try:
        port = parts.port
    except ValueError:
        return "its port is not a number from 0 to 65535."
    if not parts.hostname:
        return "it names no host."
    try:
        public_addresses(parts.hostname, port, allow_private=False)
    except AddressRefused as exc:
        return str(exc)
    return None


def channel_list(*, studio: Studio) -> QuerySet[NotifyChannel]:
    return NotifyChannel.objects.filter(studio=studio)


def channel_delete(*, studio: Studio, channel_id: int) -> None:
    if not NotifyChannel.objects.filter(studio=studio, id=channel_id).delete()[0]:
        raise ChannelNotFound()


def channels_notify(*, studio_id: int, phone: str, title: str, body: str) -> int:
    """Send through every channel of the studio → how many took it; PhoneDeliveryFailed if none did
    (with each channel's failure, for the message's reason)."""
    failures, delivered = [], 0
    channels = list(NotifyChannel.objects.filter(studio_id=studio_id))
    if not channels:
        raise PhoneDeliveryFailed("the studio has no phone channel connected any more")
    for channel in channels:
        url = sealing.channel_url_open(studio_id=studio_id, blob=channel.url_ciphertext)
        refusal = gateway_refusal(url)  # resolved again now: the name may point elsewhere since it was saved
        sender = apprise.Apprise()
        if refusal:
            failures.append(f"channel {channel.id} ({channel.scheme}): {refusal}")
        elif not sender.add(url.replace(PLACEHOLDER, quote(phone, safe=""))):
            failures.append(f"channel {channel.id} ({channel.scheme}): URL refused")
        elif sender.notify(title=title, body=body):
            delivered += 1
        else:
            failures.append(f"channel {channel.id} ({channel.scheme}): not delivered")
    if not delivered:
        raise PhoneDeliveryFailed("; ".join(failures))
    return delivered


def channels_reseal() -> int:
    """Every channel URL sealed again under the current master key (rotate_master_key runs it)."""
    channels = list(NotifyChannel.objects.all())
    for channel in channels:
        url = sealing.channel_url_open(studio_id=channel.studio_id, blob=channel.url_ciphertext)
        channel.url_ciphertext = sealing.channel_url_seal(studio_id=channel.studio_id, url=url)
        channel.save(update_fields=["url_ciphertext"])
    return len(channels)
