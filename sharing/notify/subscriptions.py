"""A guest opts in (or out) of "tell me when there are new photos of me"; what ends an opt-in.

An opt-in needs its own consent (sharing.notify.consent, recorded like the search consent: text
version, language, time, hashed IP, browser), a search's face (the offer token handed to the
guest by that search: sharing.notify.sealing) and an address. It ends — the row, its sealed
template and address deleted — when the guest unsubscribes (a message's link, the API's
DELETE, the page), asks to be forgotten, when its window or the event's retention runs out, and
with the event (whose key deletion has already crypto-shredded it).
"""
import re
import uuid
from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone

import numpy as np
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from events.models import Event
from sharing import conf, ratelimit
from sharing.clients import Client
from sharing.consent import ConsentText
from sharing.errors import (
    NotifyAddressInvalid, NotifyConsentMissing, NotifyPhoneInvalid, NotifySearchFirst, NotifyUnavailable,
)
from sharing.models import (
    DEFAULT_RETENTION_DAYS, FIXED_ALBUMS, EventNotifyPolicy, GuestSession, NotifyChannel, NotifyMedium, NotifySubscription,
    StudioPolicy,
)
from sharing.notify import sealing

_PHONE = re.compile(r"^\+[1-9][0-9]{7,14}$")  # E.164


def notify_offered(*, session: GuestSession) -> bool:
    """Whether this visit may opt in: the event has it on, its retention has not run out, and the
    link finds photos by selfie (a person link's album is fixed by the studio: nothing to look for)."""
    link, now = session.link, timezone.now()
    # Past retention nothing may be kept (and sealing an offer would create a new event key).
    return (link.scope not in FIXED_ALBUMS and notify_policy_get(event=link.event).enabled
            and notify_window_end(event=link.event, now=now) > now)


def notify_offer(*, session: GuestSession, embedding: np.ndarray) -> str | None:
    """The token the guest's device keeps after a search (None where nothing is offered)."""
    if not notify_offered(session=session):
        return None
    return sealing.offer_seal(event=session.link.event, session_id=session.id, embedding=embedding,
                              expires_at=session.expires_at)


def notify_policy_get(*, event: Event) -> EventNotifyPolicy:
    return EventNotifyPolicy.objects.filter(event=event).first() or EventNotifyPolicy(event=event, studio_id=event.studio_id)


def notify_policy_set(*, event: Event, enabled: bool) -> EventNotifyPolicy:
    """Off: no new opt-ins, and nothing more is sent to those who opted in (their rows stay until
    their window ends, so that switching it back on resumes)."""
    policy, _ = EventNotifyPolicy.objects.update_or_create(
        event=event, defaults={"studio_id": event.studio_id, "enabled": enabled})
    return policy


def notify_opted_in_count(*, event: Event) -> int:
    """What organizers see: how many guests opted in (never who, never their addresses)."""
    return NotifySubscription.objects.filter(event=event, expires_at__gt=timezone.now()).count()


def notify_counters(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """events.counters source: guests opted in to new-photo messages, per event (a count, never who)."""
    rows = dict(NotifySubscription.objects.filter(event_id__in=event_ids, expires_at__gt=timezone.now()).order_by()
                .values("event_id").annotate(n=Count("id")).values_list("event_id", "n"))
    return {event_id: {"notify_opted_in": rows.get(event_id, 0)} for event_id in event_ids}


def phone_channels_connected(*, studio_id: int) -> bool:
    return NotifyChannel.objects.filter(studio_id=studio_id).exists()


def notify_address_clean(*, studio_id: int, medium: str, address: str) -> str:
    address = (address or "").strip()
    if medium == NotifyMedium.EMAIL:
        try:
            EmailValidator()(address)
        except ValidationError:
            raise NotifyAddressInvalid() from None
        return address
    if medium != NotifyMedium.PHONE or not phone_channels_connected(studio_id=studio_id):
        raise NotifyAddressInvalid()
    number = re.sub(r"[\s().-]", "", address)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not _PHONE.match(number):
        raise NotifyPhoneInvalid()
    return number


def notify_window_end(*, event: Event, now: datetime) -> datetime:
    """The notify window (VISAGE_NOTIFY_WINDOW_DAYS from the opt-in), never past the day the
    event's face data is destroyed (sharing.services.retention)."""
    from sharing.services.retention import retention_deadline  # retention purges opt-ins: imports this module

    days = (StudioPolicy.objects.filter(studio_id=event.studio_id).values_list("retention_days", flat=True).first()
            or DEFAULT_RETENTION_DAYS)
    last_day = retention_deadline(event=event, retention_days=days)  # face data may exist through this day
    retention_end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=dt_timezone.utc)
    return min(now + timedelta(days=conf.notify_window_days()), retention_end)


@transaction.atomic
def notify_opt_in(*, session: GuestSession, client: Client, consent: bool, shown: ConsentText, medium: str,
                  address: str, offer_token: str, language: str, base_url: str) -> NotifySubscription:
    """Opt this visit in (a second opt-in replaces the first: one address, the latest face)."""
    if not consent:
        raise NotifyConsentMissing()
    if not notify_offered(session=session):
        raise NotifyUnavailable()
    link = session.link
    ratelimit.hit(key=f"notify-optin:{link.id}:{client.ip_hash}", limit=conf.notify_optins_per_client())
    address = notify_address_clean(studio_id=link.studio_id, medium=medium, address=address)
    if not session.searched or not offer_token:
        raise NotifySearchFirst()
    try:
        template = sealing.offer_open(event=link.event, session_id=session.id, token=offer_token)
    except sealing.OfferInvalid:
        raise NotifySearchFirst() from None
    now = timezone.now()
    NotifySubscription.objects.filter(session=session).delete()
    uid = uuid.uuid4()
    return NotifySubscription.objects.create(
        uid=uid, studio_id=link.studio_id, event_id=link.event_id, link=link, session=session, medium=medium,
        address_ciphertext=sealing.address_seal(event=link.event, uid=str(uid), address=address),
        template_ciphertext=sealing.template_seal(event=link.event, uid=str(uid), embedding=template.embedding),
        embedder_name=template.embedder_name, embedder_version=template.embedder_version,
        device_hash=session.device_hash, language=language, base_url=base_url.rstrip("/")[:200],
        consent_version=shown.version, consent_language=shown.language, consented_at=now, ip_hash=client.ip_hash,
        user_agent=client.user_agent, expires_at=notify_window_end(event=link.event, now=now),
        matches=session.matches,
    )


def notify_subscription_of(*, session: GuestSession) -> NotifySubscription | None:
    """The opt-in this visit made or was restored from."""
    return NotifySubscription.objects.filter(
        Q(session=session) | Q(id=session.notify_subscription_id or 0), expires_at__gt=timezone.now()).first()


def notify_opt_out(*, session: GuestSession) -> int:
    """The visit's opt-in goes (template, address, pending photos, messages) → rows deleted."""
    _, deleted = NotifySubscription.objects.filter(Q(session=session) | Q(id=session.notify_subscription_id or 0)).delete()
    return deleted.get(NotifySubscription._meta.label, 0)


def notify_unsubscribe(*, subscription: NotifySubscription) -> None:
    subscription.delete()


def notify_subscriptions_purge(*, events: list[Event], now: datetime) -> int:
    """Opt-ins past their window, and every opt-in of events past retention → rows deleted."""
    _, deleted = NotifySubscription.objects.filter(Q(expires_at__lte=now) | Q(event__in=events)).delete()
    return deleted.get(NotifySubscription._meta.label, 0)
