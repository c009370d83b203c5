""""Tell me when there are new photos of me" over the API (docs/sharing.md, "New photos of me").

Guests: `/api/v1/guest/{token}/notify` (GET state, POST opt in, DELETE opt out). Studios: the event's
switch and opt-in count (`/api/v1/events/{id}/notify-policy/`), and the studio's Apprise channels
(`/api/v1/studio/notify-channels/`, owners and admins: the URL is a secret, never returned).
"""
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.access import membership_can
from core.api import StudioApi
from core.parsers import BoundedJSONParser
from core.schema import errors
from events.api import EventApi
from sharing.apis import base_url
from sharing.guest_apis import GuestApi
from sharing.models import NotifyMedium
from sharing.notify import channels
from sharing.notify.consent import NOTIFY_CONSENT_VERSION, notify_consent_text_for
from sharing.notify.optin import notify_opt_in_confirmed
from sharing.notify.subscriptions import (
    notify_offered, notify_opt_out, notify_opted_in_count, notify_policy_get, notify_policy_set,
    notify_subscription_of, phone_channels_connected,
)

_STATE = inline_serializer("GuestNotifyState", {
    "offered": serializers.BooleanField(help_text="Whether this event offers new-photo messages on this link."),
    "subscribed": serializers.BooleanField(),
    "medium": serializers.CharField(allow_null=True, help_text="email or phone, when subscribed (never the address)."),
    "expires_at": serializers.DateTimeField(allow_null=True, help_text="No message after this."),
    "phone_available": serializers.BooleanField(help_text="Whether the studio connected a phone channel."),
    "consent_version": serializers.CharField(), "consent_text": serializers.CharField()})
_STATE_EXAMPLE = {"offered": True, "subscribed": True, "medium": "email", "expires_at": "2026-07-21T20:15:00Z",
                  "phone_available": False, "consent_version": NOTIFY_CONSENT_VERSION, "consent_text": "To tell you…"}


class GuestNotifyApi(GuestApi):
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "GuestNotifyInput"

        consent = serializers.BooleanField(default=False, help_text="Agreement to the notify consent text.")
        medium = serializers.ChoiceField(choices=NotifyMedium.choices, default=NotifyMedium.EMAIL)
        address = serializers.CharField(max_length=254, help_text="An e-mail address, or a phone number in "
                                        "international form (+44…) where the studio connected a phone channel.")
        notify_token = serializers.CharField(max_length=4096, help_text="From this visit's last search answer.")
        language = serializers.ChoiceField(choices=["en", "fr", "de", "es"], default="en",
                                           help_text="The language of the consent text shown and of the messages.")

    def _state(self) -> dict:
        session = self.guest.session
        subscription = notify_subscription_of(session=session) if session else None
        shown = notify_consent_text_for(self.request.query_params.get("language"))
        return {"offered": bool(session and notify_offered(session=session)), "subscribed": subscription is not None,
                "medium": subscription.medium if subscription else None,
                "expires_at": subscription.expires_at if subscription else None,
                "phone_available": phone_channels_connected(studio_id=self.guest.link.studio_id),
                "consent_version": shown.version, "consent_text": shown.text}

    @extend_schema(operation_id="guest_notify_get", summary="Are you told about new photos?", responses=_STATE,
                   examples=[OpenApiExample("Subscribed by e-mail", value=_STATE_EXAMPLE, response_only=True)],
                   description="Whether this visit opted in to messages about new photos of you, and the consent "
                   "text to show before it (`language`: en, fr, de, es).")
    def get(self, request, token: str):
        return Response(self._state())

    @extend_schema(operation_id="guest_notify_subscribe", summary="Tell me when there are new photos of me",
                   request=InputSerializer, responses={201: _STATE, **errors(403, 409)}, examples=[
                       OpenApiExample("By e-mail", request_only=True, value={
                           "consent": True, "medium": "email", "address": "ana@example.com",
                           "notify_token": "AQx9…from the search answer", "language": "en"}),
                       OpenApiExample("Subscribed", status_codes=["201"], response_only=True, value=_STATE_EXAMPLE)],
                   description="After a selfie search: keep that search's face (encrypted) and your address, and "
                   "write to you when new photos of you arrive (at most one message every few minutes, until the "
                   "event's notification period ends). Needs its own consent (`consent=true` to the text of GET), "
                   "and the `notify_token` of this visit's last search. 400 notify_search_first without it, 409 "
                   "where the event does not offer messages. Opting in again replaces the address and face.")
    def post(self, request, token: str):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        notify_opt_in_confirmed(session=self.require_session(), client=self.guest.client, consent=values["consent"],
                                shown=notify_consent_text_for(values["language"]), medium=values["medium"],
                                address=values["address"], offer_token=values["notify_token"],
                                language=values["language"], base_url=base_url(request))
        return Response(self._state(), status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="guest_notify_unsubscribe", summary="Stop the new-photo messages", request=None,
                   responses={200: _STATE, **errors(403)},
                   examples=[OpenApiExample("Stopped", response_only=True, value={
                       **_STATE_EXAMPLE, "subscribed": False, "medium": None, "expires_at": None})],
                   description="Deletes this visit's opt-in at once: the kept face data, the address and any "
                   "photos waiting to be announced. Nothing more is sent.")
    def delete(self, request, token: str):
        notify_opt_out(session=self.require_session())
        return Response(self._state())


class NotifyPolicyApi(EventApi):
    """The event's switch for new-photo messages and how many guests opted in (never who)."""

    required = "view"
    required_by_method = {"PATCH": "share"}

    class PolicySerializer(serializers.Serializer):
        class Meta:
            ref_name = "NotifyPolicy"

        enabled = serializers.BooleanField(help_text="Guests may ask to be told about new photos of them (default).")
        opted_in = serializers.IntegerField(read_only=True, help_text="Guests opted in now. Their addresses are "
                                            "never shown.")

    def _body(self, policy) -> dict:
        return {"enabled": policy.enabled, "opted_in": notify_opted_in_count(event=self.event)}

    @extend_schema(operation_id="notify_policy_get", summary="Get the event's new-photo messages setting",
                   responses=PolicySerializer, examples=[OpenApiExample("On, 12 guests", value={
                       "enabled": True, "opted_in": 12}, response_only=True)],
                   description="Whether guests may opt in to messages about new photos of them, and how many did.")
    def get(self, request, event_id: int):
        return Response(self._body(notify_policy_get(event=self.event)))

    @extend_schema(operation_id="notify_policy_update", summary="Turn new-photo messages on or off",
                   request=PolicySerializer, responses=PolicySerializer, examples=[
                       OpenApiExample("Off", value={"enabled": False}, request_only=True),
                       OpenApiExample("Off, 12 guests kept", value={"enabled": False, "opted_in": 12},
                                      response_only=True)],
                   description="Off: no new opt-ins and no messages; guests already opted in stay until their "
                   "window ends, so turning it back on resumes. Owners, admins, photographers and organizers.")
    def patch(self, request, event_id: int):
        data = self.PolicySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self._body(notify_policy_set(event=self.event, enabled=data.validated_data["enabled"])))


class NotifyChannelSerializer(serializers.Serializer):
    class Meta:
        ref_name = "NotifyChannel"

    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    scheme = serializers.CharField(read_only=True, help_text="The service (twilio, whatsapp, tgram, json, …).")
    url = serializers.CharField(write_only=True, max_length=2000, help_text="The Apprise URL with {phone} where the "
                                "guest's number goes. Stored encrypted, never returned.")
    created_at = serializers.DateTimeField(read_only=True)


_CHANNEL = {"id": 2, "label": "SMS", "scheme": "twilio", "created_at": "2026-06-01T10:00:00Z"}


class _ChannelAdminApi(StudioApi):
    def require_admin(self) -> None:
        if not membership_can(self.membership, "administer"):
            raise PermissionDenied("Only the studio's owners and admins manage notification channels.")


class NotifyChannelListCreateApi(_ChannelAdminApi):
    @extend_schema(operation_id="notify_channels_list", summary="List the studio's phone channels",
                   responses=NotifyChannelSerializer(many=True),
                   examples=[OpenApiExample("One SMS channel", value=[_CHANNEL], response_only=True)],
                   description="The Apprise channels guests' phone messages go through (scheme and label only: "
                   "the URL holds credentials and is never shown again). Owners and admins.")
    def get(self, request):
        self.require_admin()
        return Response(NotifyChannelSerializer(channels.channel_list(studio=self.studio), many=True).data)

    @extend_schema(operation_id="notify_channels_create", summary="Connect a phone channel (Apprise URL)",
                   request=NotifyChannelSerializer, responses={201: NotifyChannelSerializer},
                   examples=[OpenApiExample("Twilio SMS", request_only=True, value={
                       "label": "SMS", "url": "twilio://ACxxxx:token@+15550001111/{phone}"}),
                       OpenApiExample("Connected", status_codes=["201"], response_only=True, value=_CHANNEL)],
                   description="Any Apprise URL of a messaging service (SMS and WhatsApp gateways, Telegram, "
                   "json:// or form:// webhooks) with `{phone}` where the guest's number goes. Once a channel is "
                   "connected, guests may choose their phone instead of e-mail. Owners and admins; 400 "
                   "channel_invalid for a URL Apprise refuses.")
    def post(self, request):
        self.require_admin()
        data = NotifyChannelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = channels.channel_create(studio=self.studio, user=request.user, url=data.validated_data["url"],
                                          label=data.validated_data.get("label", ""))
        return Response(NotifyChannelSerializer(channel).data, status=status.HTTP_201_CREATED)


class NotifyChannelDeleteApi(_ChannelAdminApi):
    @extend_schema(operation_id="notify_channels_delete", summary="Disconnect a phone channel", request=None,
                   responses={204: None}, examples=[OpenApiExample("Not yours or gone", status_codes=["404"],
                                                                   response_only=True, value={"error": {
                                                                       "code": "not_found", "message":
                                                                       "No such notification channel.",
                                                                       "details": None}})],
                   description="Deletes the channel and its sealed URL. Guests who chose their phone get no more "
                   "messages through it. Owners and admins.")
    def delete(self, request, channel_id: int):
        self.require_admin()
        channels.channel_delete(studio=self.studio, channel_id=channel_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


