"""Reads inside one studio: another studio's webhook or delivery is a 404, like a missing one."""
import uuid

from django.http import Http404

from core.tenancy.models import Studio
from webhooks.models import Delivery, Webhook


def webhook_list(*, studio: Studio):
    return Webhook.objects.filter(studio=studio).order_by("id")


def webhook_get(*, studio: Studio, webhook_id: int) -> Webhook:
    webhook = Webhook.objects.filter(studio=studio, id=webhook_id).select_related("studio").first()
    if webhook is None:
        raise Http404("No such webhook in this studio.")
    return webhook


def delivery_list(*, webhook: Webhook):
    return Delivery.objects.filter(webhook=webhook, studio_id=webhook.studio_id).order_by("-id")


def delivery_get(*, webhook: Webhook, delivery_uid: uuid.UUID) -> Delivery:
    delivery = Delivery.objects.filter(webhook=webhook, studio_id=webhook.studio_id, uid=delivery_uid
                                       ).select_related("webhook__studio").first()
    if delivery is None:
        raise Http404("No such delivery for this webhook.")
    return delivery


def studio_recent_deliveries(*, studio: Studio, limit: int = 30) -> list[Delivery]:
    return list(Delivery.objects.filter(studio=studio).select_related("webhook").order_by("-id")[:limit])
