"""Studio webhooks over the API: register, list, change, remove; the delivery log, redelivery,
and a test ping. Owners and admins only (a webhook sees what happens across the whole studio)."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.api import StudioApi
from core.schema import error_response, errors
from core.access import membership_can
from webhooks import examples, selectors, services
from webhooks.models import Delivery, EventType, Webhook

_EVENTS = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices), min_length=1,
                                max_length=len(EventType.values),
                                help_text="What to receive: any of " + ", ".join(EventType.values) + ".")


class WebhookOutputSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    secret_hint = serializers.CharField(read_only=True, help_text="The secret's first and last characters; the "
                                        "whole secret is shown only in the creation answer.")

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "secret_hint", "created_at"]


class WebhookCreatedSerializer(WebhookOutputSerializer):
    secret = serializers.CharField(help_text="Shown once. Verify each delivery's X-Visage-Signature with it.")

    class Meta(WebhookOutputSerializer.Meta):
        fields = [*WebhookOutputSerializer.Meta.fields, "secret"]


class DeliveryOutputSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid", help_text="Also the body's `id` and the X-Visage-Delivery header.")
    event = serializers.CharField(source="event_type")
    response_status = serializers.IntegerField(source="last_response_status", allow_null=True)
    error = serializers.CharField(source="last_error")
    redelivery_of = serializers.SlugRelatedField(slug_field="uid", read_only=True, allow_null=True)

    class Meta:
        model = Delivery
        fields = ["id", "event", "status", "attempts", "response_status", "response_ms", "error", "created_at",
                  "next_attempt_at", "delivered_at", "redelivery_of", "payload"]


_WEBHOOK_PAGE = inline_serializer("PaginatedWebhookList", {
    "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
    "previous": serializers.URLField(allow_null=True), "results": WebhookOutputSerializer(many=True)})
_DELIVERY_PAGE = inline_serializer("PaginatedWebhookDeliveryList", {
    "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
    "previous": serializers.URLField(allow_null=True), "results": DeliveryOutputSerializer(many=True)})
_PAGE = OpenApiParameter("page", int, OpenApiParameter.QUERY, required=False, description="Page number (50 a page).")
_ERRORS = {**errors(400, 401), 403: error_response(403, "Only the studio's owners and admins manage webhooks."),
           404: error_response(404, "No such webhook (or delivery) in your studio: another studio's answers the same.")}
_READ_ERRORS = {code: body for code, body in _ERRORS.items() if code != 400}


class _WebhookApi(StudioApi):
    """Owners and admins of the caller's studio; the webhook (when the path names one) inside it."""

    def manager_required(self) -> None:
        if not membership_can(self.membership, "administer"):
            raise PermissionDenied("Only the studio's owners and admins manage webhooks.")

    def webhook(self, webhook_id: int) -> Webhook:
        self.manager_required()
        return selectors.webhook_get(studio=self.studio, webhook_id=webhook_id)


class WebhookListCreateApi(_WebhookApi):
    idempotency_secrets = ("secret",)
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "WebhookCreateInput"

        url = serializers.URLField(max_length=2000, help_text="Where to POST deliveries (https in production).")
        events = _EVENTS

    @extend_schema(operation_id="webhooks_list", summary="List the studio's webhooks",
                   description="Every webhook of your studio, oldest first, one page at a time. Secrets are not "
                               "shown here, only a hint to tell them apart.",
                   parameters=[_PAGE], responses={200: _WEBHOOK_PAGE, **_READ_ERRORS}, examples=examples.LIST)
    def get(self, request):
        self.manager_required()
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.webhook_list(studio=self.studio), request, view=self)
        return paginator.get_paginated_response(WebhookOutputSerializer(page, many=True).data)

    @extend_schema(operation_id="webhooks_create", summary="Register a webhook",
                   description="Visage will POST signed JSON to `url` for each of `events` that happens in your "
                               "studio. The answer holds the signing `secret`: it is shown this once. The URL must "
                               "resolve to a public address (and use https in production); a URL that does not is "
                               "a 400 `webhook_url_refused`. At most 20 webhooks a studio.",
                   request=InputSerializer, responses={201: WebhookCreatedSerializer, **_ERRORS},
                   examples=examples.CREATE)
    def post(self, request):
        self.manager_required()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        webhook = services.webhook_create(studio=self.studio, user=request.user, **data.validated_data)
        return Response(WebhookCreatedSerializer(webhook).data, status=status.HTTP_201_CREATED)


class WebhookDetailApi(_WebhookApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "WebhookUpdateInput"

        url = serializers.URLField(max_length=2000, required=False)
        events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices), min_length=1,
                                       max_length=len(EventType.values), required=False)
        active = serializers.BooleanField(required=False, help_text="false pauses deliveries (none are queued).")

    @extend_schema(operation_id="webhooks_retrieve", summary="Get a webhook",
                   description="One webhook of your studio (its secret only as a hint).",
                   responses={200: WebhookOutputSerializer, **_READ_ERRORS}, examples=examples.GET)
    def get(self, request, webhook_id: int):
        return Response(WebhookOutputSerializer(self.webhook(webhook_id)).data)

    @extend_schema(operation_id="webhooks_partial_update", summary="Change a webhook's URL, events or state",
                   description="Give any of `url`, `events`, `active`. A paused webhook (`active: false`) gets no "
                               "new deliveries; those already queued are still sent.",
                   request=InputSerializer, responses={200: WebhookOutputSerializer, **_ERRORS},
                   examples=examples.UPDATE)
    def patch(self, request, webhook_id: int):
        webhook = self.webhook(webhook_id)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return Response(WebhookOutputSerializer(services.webhook_update(webhook=webhook, **data.validated_data)).data)

    @extend_schema(operation_id="webhooks_destroy", summary="Remove a webhook",
                   description="The webhook and its delivery log go at once; nothing more is sent to it.",
                   responses={204: None, **_READ_ERRORS}, examples=examples.DELETE)
    def delete(self, request, webhook_id: int):
        services.webhook_delete(webhook=self.webhook(webhook_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListApi(_WebhookApi):
    @extend_schema(operation_id="webhooks_deliveries_list", summary="List a webhook's deliveries",
                   description="Newest first: each delivery's event, status (`pending`, `succeeded`, `failed`), "
                               "attempts, last response code and time, last error, and the body sent.",
                   parameters=[_PAGE], responses={200: _DELIVERY_PAGE, **_READ_ERRORS}, examples=examples.DELIVERIES)
    def get(self, request, webhook_id: int):
        webhook = self.webhook(webhook_id)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.delivery_list(webhook=webhook), request, view=self)
        return paginator.get_paginated_response(DeliveryOutputSerializer(page, many=True).data)


class WebhookRedeliverApi(_WebhookApi):
    @extend_schema(operation_id="webhooks_deliveries_redeliver", summary="Send a delivery again",
                   description="Queues a new delivery (new `id`, fresh attempts) with the same event data; its "
                               "`redelivery_of` names the original. Answers 202 at once: follow it in the log.",
                   request=None, responses={202: DeliveryOutputSerializer, **_READ_ERRORS},
                   examples=examples.REDELIVER)
    def post(self, request, webhook_id: int, delivery_id):
        delivery = selectors.delivery_get(webhook=self.webhook(webhook_id), delivery_uid=delivery_id)
        return Response(DeliveryOutputSerializer(services.delivery_redeliver(delivery=delivery)).data,
                        status=status.HTTP_202_ACCEPTED)


class WebhookPingApi(_WebhookApi):
    @extend_schema(operation_id="webhooks_ping", summary="Send a test delivery",
                   description="Queues a `ping` delivery to the webhook (whatever events it subscribes to, even "
                               "while paused), signed like any other. Answers 202 at once: follow it in the log.",
                   request=None, responses={202: DeliveryOutputSerializer, **_READ_ERRORS}, examples=examples.PING)
    def post(self, request, webhook_id: int):
        return Response(DeliveryOutputSerializer(services.webhook_ping(webhook=self.webhook(webhook_id))).data,
                        status=status.HTTP_202_ACCEPTED)
