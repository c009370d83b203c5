"""A studio's phone channels: Apprise URLs (SMS and WhatsApp gateways, Telegram, JSON/form webhooks).

The URL carries the gateway's credentials, so it is sealed under the master key
(sharing.notify.sealing) and never shown again after saving: the API lists the scheme and the
label. It must hold the placeholder `{phone}` where the guest's number goes, e.g.
`twilio://SID:TOKEN@+15550001111/{phone}` or `json://sms-gateway.example/send?:to={phone}`.
Apprise (PyPI `apprise`) was chosen because one library speaks to ~100 services with one URL
syntax, which is what lets a studio bring whichever SMS or chat provider it already pays for.
"""
from urllib.parse import quote

import apprise
from django.db.models import QuerySet

from core.errors import DomainError
from core.tenancy.models import Studio
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
    if NotifyChannel.objects.filter(studio=studio).count() >= MAX_CHANNELS:
        raise ChannelInvalid(f"A studio connects at most {MAX_CHANNELS} channels.")
    return NotifyChannel.objects.create(studio=studio, label=label, scheme=scheme, created_by=user,
                                        url_ciphertext=sealing.channel_url_seal(studio_id=studio.id, url=url))


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
        sender = apprise.Apprise()
        if not sender.add(url.replace(PLACEHOLDER, quote(phone, safe=""))):
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
