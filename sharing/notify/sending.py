"""Messages to opted-in guests: one per VISAGE_NOTIFY_MIN_MINUTES at most, none after the window.

`notify_send` turns an opt-in's pending photos into one NotifyMessage (row-locked, so two
workers never send the same photos twice) and tells the apps above (`guest_matched`: the
guest.matched webhook, counts and link ids only). `notify_deliver` writes it: by e-mail through
Django's e-mail backend, or to the guest's phone through the studio's Apprise channels. A message
ends `sent`, or `failed` with the reason after VISAGE_NOTIFY_SEND_TRIES; the database holds the
retry time (like webhook deliveries), so a lost queue message or a broker outage delays a try,
never loses it: the beat's notify_send_due picks it up.

`notify_confirm` queues the one message right after an opt-in (a NotifyMessage with no photos):
"you'll be told when new photos of you arrive", with the unsubscribe link, through the medium the
guest chose, delivered and retried like the others. It does not count toward the minimum interval.
"""
import logging
from datetime import datetime, timedelta

from celery import shared_task

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.mail import mail_subject
from events.models import Photo
from sharing import conf
from sharing.models import LinkState, NotifyMedium, NotifyMessage, NotifyMessageStatus, NotifySubscription
from sharing.notify import channels, links, sealing
from sharing.notify.subscriptions import notify_policy_get
from sharing.hooks import GuestMatched, guest_matched

logger = logging.getLogger(__name__)


_LEASE_SECONDS = 120  # a try's hold on its message (the SMTP and gateway timeouts are far shorter)
_FIRST_RETRY_SECONDS = 30


@transaction.atomic
def notify_send(*, subscription_id: int, now: datetime | None = None) -> NotifyMessage | None:
    """The opt-in's pending photos as one message, if one may go now (else nothing changes)."""
    now = now or timezone.now()
    subscription = NotifySubscription.objects.select_for_update().select_related("link", "event").filter(
        id=subscription_id).first()
    if subscription is None or not subscription.pending_photo_ids:
        return None
    if subscription.next_send_at is not None and subscription.next_send_at > now:
        return None  # the minimum interval: notify_send_due sends it when its time comes
    if (subscription.expires_at <= now or subscription.link.state != LinkState.ACTIVE
            or not notify_policy_get(event=subscription.event).enabled):
        subscription.pending_photo_ids, subscription.next_send_at = [], None
        subscription.save(update_fields=["pending_photo_ids", "next_send_at"])
        return None
    # Photos hidden since they matched are not announced (the gallery would not show them either).
    visible = set(Photo.objects.filter(id__in=subscription.pending_photo_ids, hidden=False).values_list("id", flat=True))
    photo_ids = [photo_id for photo_id in subscription.pending_photo_ids if photo_id in visible]
    subscription.pending_photo_ids, subscription.next_send_at = [], None
    if not photo_ids:
        subscription.save(update_fields=["pending_photo_ids", "next_send_at"])
        return None
    # Due at once: if the nudge below is lost (broker down), the beat's notify_send_due sends it.
    message = NotifyMessage.objects.create(studio_id=subscription.studio_id, subscription=subscription,
                                           photo_ids=photo_ids, next_attempt_at=now)
    subscription.last_sent_at = now
    subscription.save(update_fields=["pending_photo_ids", "next_send_at", "last_sent_at"])
    guest_matched.send(GuestMatched(studio_id=subscription.studio_id, event_id=subscription.event_id,
                                    share_link_id=subscription.link_id, photo_count=len(message.photo_ids)))
    transaction.on_commit(lambda: _deliver_soon(message.id))
    return message


def notify_confirm(*, subscription: NotifySubscription) -> NotifyMessage:
    """The opt-in's confirmation, due at once (sent after the caller's transaction commits)."""
    message = NotifyMessage.objects.create(studio_id=subscription.studio_id, subscription=subscription,
                                           photo_ids=[], next_attempt_at=timezone.now())
    transaction.on_commit(lambda: _deliver_soon(message.id))
    return message


def _deliver_soon(message_id: int) -> None:
    """Nudge a worker; a broker that is down loses only the nudge (the message is due: the beat sends it)."""
    try:
        notify_deliver_task.delay(message_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure: notify_send_due catches up
        logger.warning("could not queue notify message %s (%s: %s); the beat will send it", message_id,
                       exc.__class__.__name__, exc)


def notify_send_due(*, now: datetime | None = None) -> list[int]:
    """Celery beat: every opt-in whose held-back photos may go now, and every message whose retry
    time came (or whose queue message was lost) → the messages created."""
    now = now or timezone.now()
    due = NotifySubscription.objects.filter(next_send_at__lte=now).values_list("id", flat=True)
    created = [message.id for message in (notify_send(subscription_id=i, now=now) for i in list(due)) if message]
    retries = NotifyMessage.objects.filter(status=NotifyMessageStatus.PENDING, next_attempt_at__lte=now)
    for message_id in list(retries.values_list("id", flat=True)):
        notify_deliver(message_id=message_id, now=now)
    return created


def notify_deliver(*, message_id: int, now: datetime | None = None) -> str:
    """One try at writing the message → its status: sent; pending with the next try's time (a
    doubling wait, 30 s, 60 s, …); failed with the reason after VISAGE_NOTIFY_SEND_TRIES."""
    now = now or timezone.now()
    claimable = NotifyMessage.objects.filter(id=message_id, status=NotifyMessageStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if not claimable.update(next_attempt_at=now + timedelta(seconds=_LEASE_SECONDS), attempts=F("attempts") + 1):
        return "not due"  # sent, failed, gone (unsubscribed), or another worker holds it
    message = NotifyMessage.objects.select_related("subscription__link__event").get(id=message_id)
    subscription = message.subscription
    try:
        address = sealing.address_open(event=subscription.event, uid=str(subscription.uid),
                                       blob=subscription.address_ciphertext)
        with translation.override(subscription.language):
            confirmation = not message.photo_ids
            if subscription.medium == NotifyMedium.EMAIL:
                (_confirmation_email if confirmation else _email)(subscription, message, address)
            else:
                title, body = ((_confirmation_subject(subscription), _confirmation_short_body(subscription))
                               if confirmation else (_subject(subscription, message), _short_body(subscription, message)))
                channels.channels_notify(studio_id=subscription.studio_id, phone=address, title=title, body=body)
    except Exception as exc:  # noqa: BLE001 - the failure policy: every error is retried, then ends in its reason
        reason = f"{type(exc).__name__}: {exc}"[:500]
        if message.attempts >= conf.notify_send_tries():
            NotifyMessage.objects.filter(id=message.id).update(status=NotifyMessageStatus.FAILED, reason=reason,
                                                               next_attempt_at=None)
            return NotifyMessageStatus.FAILED
        retry_at = now + timedelta(seconds=_FIRST_RETRY_SECONDS * 2 ** (message.attempts - 1))
        NotifyMessage.objects.filter(id=message.id).update(reason=reason, next_attempt_at=retry_at)
        return NotifyMessageStatus.PENDING
    NotifyMessage.objects.filter(id=message.id).update(status=NotifyMessageStatus.SENT, sent_at=timezone.now(),
                                                       reason="", next_attempt_at=None)
    return NotifyMessageStatus.SENT


def _subject(subscription: NotifySubscription, message: NotifyMessage) -> str:
    n = len(message.photo_ids)
    return mail_subject(ngettext("%(n)d new photo of you at %(event)s", "%(n)d new photos of you at %(event)s", n)
                        % {"n": n, "event": subscription.event.name})


def _confirmation_subject(subscription: NotifySubscription) -> str:
    return mail_subject(_("You'll be told about new photos of you at %(event)s") % {"event": subscription.event.name})


def _confirmation_email(subscription: NotifySubscription, message: NotifyMessage, address: str) -> None:
    unsubscribe = links.unsubscribe_url(subscription=subscription)
    lines = [
        _("Hello, you'll be told when new photos of you arrive at “%(event)s”.") % {"event": subscription.event.name},
        _("Your gallery: %(url)s") % {"url": links.back_url(subscription=subscription, message=message)},
        _unsubscribe_line(unsubscribe),
    ]
    _send_mail(_confirmation_subject(subscription), lines, address, unsubscribe)


def _confirmation_short_body(subscription: NotifySubscription) -> str:
    return " ".join([
        _("You'll be told when new photos of you arrive at %(event)s.") % {"event": subscription.event.name},
        _("Stop: %(url)s") % {"url": links.unsubscribe_url(subscription=subscription)},
    ])


def _unsubscribe_line(unsubscribe: str) -> str:
    return (_("You get these messages because you asked to be told about new photos of you. To stop them and "
              "delete your face data and address now: %(url)s") % {"url": unsubscribe})


def _send_mail(subject: str, lines: list[str], address: str, unsubscribe: str) -> None:
    mail = EmailMessage(subject, "\n\n".join(lines), None, [address], headers={
        "List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated"})
    mail.send(fail_silently=False)


def _email(subscription: NotifySubscription, message: NotifyMessage, address: str) -> None:
    unsubscribe = links.unsubscribe_url(subscription=subscription)
    photo = _("Photo %(number)s")
    lines = [
        ngettext("Hello, %(n)d new photo of you has arrived at “%(event)s”.",
                 "Hello, %(n)d new photos of you have arrived at “%(event)s”.", len(message.photo_ids))
        % {"n": len(message.photo_ids), "event": subscription.event.name},
        _("See them all in your gallery: %(url)s") % {"url": links.back_url(subscription=subscription, message=message)},
        _("The new photos:"),
        *[f"- {photo % {'number': k}}: {links.back_url(subscription=subscription, message=message, photo_id=photo_id)}"
          for k, photo_id in enumerate(message.photo_ids, start=1)],
        _unsubscribe_line(unsubscribe),
    ]
    _send_mail(_subject(subscription, message), lines, address, unsubscribe)


def _short_body(subscription: NotifySubscription, message: NotifyMessage) -> str:
    """For SMS and chat: the count and two links, no list."""
    return " ".join([
        _subject(subscription, message) + ":", links.back_url(subscription=subscription, message=message),
        _("Stop: %(url)s") % {"url": links.unsubscribe_url(subscription=subscription)},
    ])


@shared_task(name="sharing.tasks.notify_send_due", acks_late=True, soft_time_limit=300, time_limit=330)
def notify_send_due_task() -> int:
    """Beat: messages held back by the minimum interval whose time came."""
    return len(notify_send_due())


@shared_task(name="sharing.tasks.notify_deliver", acks_late=True, soft_time_limit=60, time_limit=90)
def notify_deliver_task(message_id: int) -> str:
    """One try at one message (failure policy in sharing.notify.sending.notify_deliver: retried by
    the beat at its retry time, failed with the reason after VISAGE_NOTIFY_SEND_TRIES)."""
    return notify_deliver(message_id=message_id)
