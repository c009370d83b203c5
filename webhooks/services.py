"""Webhooks: register, change, remove; queue deliveries (in the caller's transaction) and send
them on commit (webhooks/dispatch.py). Sending itself is webhooks/sending.py."""
import logging
import uuid

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.tenancy.models import Studio
from webhooks.dispatch import delivery_dispatch
from webhooks.conf import webhooks as webhooks_config
from webhooks.models import PING, Delivery, DeliveryStatus, EventType, Webhook
from webhooks.signing import secret_generate
from webhooks.urlsafety import url_check

logger = logging.getLogger(__name__)


class TooManyWebhooks(DomainError):
    status, code = 400, "too_many_webhooks"
    message = "This studio has as many webhooks as it may have; remove one first."


def webhook_create(*, studio: Studio, user, url: str, events: list[str]) -> Webhook:
    url_check(url)  # before the lock: it resolves a name, which may take seconds
    with transaction.atomic():
        # The studio row's lock serialises creations, so parallel requests cannot all count 19 of 20.
        Studio.objects.select_for_update().only("id").get(id=studio.id)
        if Webhook.objects.filter(studio=studio).count() >= webhooks_config().webhooks_per_studio:
            raise TooManyWebhooks()
        return Webhook.objects.create(studio=studio, created_by=user, url=url, events=_events(events),
                                      secret=secret_generate())


def webhook_update(*, webhook: Webhook, url: str | None = None, events: list[str] | None = None,
                   active: bool | None = None) -> Webhook:
    if url is not None:
        url_check(url)
        webhook.url = url
    if events is not None:
        webhook.events = _events(events)
    if active is not None:
        webhook.active = active
    webhook.save(update_fields=["url", "events", "active"])
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()


def _events(events: list[str]) -> list[str]:
    return sorted(set(events), key=EventType.values.index)


def _body(*, delivery_uid: uuid.UUID, event_type: str, studio: Studio, data: dict) -> dict:
    return {"id": str(delivery_uid), "type": event_type, "created_at": timezone.now().isoformat(),
            "studio": studio.slug, "data": data}


def deliveries_create(*, studio_id: int, event_type: str, data: dict, dedupe_key: str = "",
                      hooks: list[Webhook] | None = None) -> list[Delivery]:
    """One pending delivery per active webhook of the studio that subscribes to `event_type`,
    created in the caller's transaction and sent once it commits (`hooks`: those webhooks, when the
    caller has already read them). With a `dedupe_key`, a webhook that already has a delivery of
    that key gets none (the caller holds a lock that serialises it)."""
    if hooks is None:
        hooks = webhooks_subscribed(studio_id=studio_id, event_type=event_type)
    hooks = [hook for hook in hooks if event_type in hook.events]
    if dedupe_key and hooks:
        done = set(Delivery.objects.filter(webhook__in=hooks, dedupe_key=dedupe_key).values_list("webhook_id", flat=True))
        hooks = [hook for hook in hooks if hook.id not in done]
    return [_delivery_queue(webhook=hook, event_type=event_type, data=data, dedupe_key=dedupe_key) for hook in hooks]


def webhooks_subscribed(*, studio_id: int, event_type: str | None = None) -> list[Webhook]:
    """The studio's active webhooks (that subscribe to `event_type`, if given). A studio has a
    handful: filtered here, as JSON list lookups differ per database."""
    hooks = Webhook.objects.filter(studio_id=studio_id, active=True).select_related("studio")
    return [hook for hook in hooks if event_type is None or event_type in hook.events]


def _delivery_queue(*, webhook: Webhook, event_type: str, data: dict, dedupe_key: str = "",
                    redelivery_of: Delivery | None = None) -> Delivery:
    uid = uuid.uuid4()
    delivery = Delivery.objects.create(
        uid=uid, studio_id=webhook.studio_id, webhook=webhook, event_type=event_type, dedupe_key=dedupe_key,
        payload=_body(delivery_uid=uid, event_type=event_type, studio=webhook.studio, data=data),
        redelivery_of=redelivery_of, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: delivery_dispatch(delivery_id=delivery.id))
    return delivery


def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """A new delivery (new id, fresh attempts) of the same event's data to the same webhook."""
    return _delivery_queue(webhook=delivery.webhook, event_type=delivery.event_type,
                           data=delivery.payload.get("data", {}), redelivery_of=delivery)


def webhook_ping(*, webhook: Webhook) -> Delivery:
    """A test delivery, whatever the webhook subscribes to (and even while it is paused)."""
    return _delivery_queue(webhook=webhook, event_type=PING,
                           data={"webhook_id": webhook.id, "message": "Visage can reach this endpoint."})


def deliveries_prune(*, days: int | None = None) -> int:
    """The log keeps what was sent (person names among it) for VISAGE_WEBHOOK_LOG_DAYS, no longer."""
    days = webhooks_config().webhook_log_days if days is None else days
    old = Delivery.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).exclude(
        status=DeliveryStatus.PENDING)
    return old.delete()[1].get(Delivery._meta.label, 0)
