"""Managers' endpoints: share links, their printables, organizers, the studio's retention.

Links and organizers hang under /events/{id}/ and go through core.api.EventApi, so
another studio's event is a 404 and an organizer reaches only their own event.
"""
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.storage import object_storage
from sharing import api_examples as ex
from sharing import codes, conf, pin_limits, selectors
from sharing.models import Download, Scope, ShareLink
from sharing.services import links as link_services
from sharing.services.links import qr_key
from sharing.services.studio_settings import link_fields_with_defaults
from events.api import EventApi
from core.fields import CountField, IdField


def base_url(request) -> str:
    return conf.public_url() or request.build_absolute_uri("/").rstrip("/")


@extend_schema_field({"oneOf": [{"type": "boolean"}, {"type": "string", "enum": Download.values}]})
class DownloadField(serializers.Field):
    """`allow_download`: originals | previews | none; true/false mean originals/none."""

    def to_internal_value(self, data):
        text = str(data).strip().lower()
        if text in ("true", "1", "yes"):
            return Download.ORIGINALS
        if text in ("false", "0", "no"):
            return Download.NONE
        if text in Download.values:
            return text
        raise ValidationError(f"Use one of {', '.join(Download.values)} (or true/false).")

    def to_representation(self, value):
        return value


class PinField(serializers.RegexField):
    def __init__(self, **kwargs):
        # Empty matches too (it means "no PIN"; the fields allow blank): the schema's default "" must be valid.
        super().__init__(r"^(?:\d{4,8})?$", error_messages={"invalid": "A PIN is 4 to 8 digits."}, **kwargs)


class PinLockSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PinLock"

    locked = serializers.BooleanField(help_text="Someone is refused now: the link paused, or a device or address "
                                      "waiting after wrong PINs. POST …/unlock/ clears it.")
    retry_after = serializers.IntegerField(help_text="Seconds left of a pause that holds every guest (0: none).")
    wrong_pins = serializers.IntegerField(help_text="Wrong PINs on this link in its counting window.")
    devices_locked = serializers.IntegerField(help_text="Devices locked out after their own wrong PINs (each alone).")
    addresses_paused = serializers.IntegerField(help_text="Addresses paused after many wrong PINs from their devices.")


class ShareLinkOutputSerializer(serializers.ModelSerializer):
    allow_download = serializers.CharField(source="download")
    pin_lock = serializers.SerializerMethodField()
    code = serializers.SerializerMethodField()
    code_url = serializers.SerializerMethodField()
    qr_png_url = serializers.SerializerMethodField()
    qr_svg_url = serializers.SerializerMethodField()
    barcode_png_url = serializers.SerializerMethodField()
    card_png_url = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "id", "label", "scope", "person", "state", "code", "code_url", "expires_at", "max_uses", "use_count",
            "search_count", "last_used_at", "has_pin", "allow_download", "watermark", "revoked_at", "created_at",
            "qr_png_url", "qr_svg_url", "barcode_png_url", "card_png_url", "pin_lock",
        ]

    @extend_schema_field(PinLockSerializer(allow_null=True))
    def get_pin_lock(self, link: ShareLink) -> dict | None:
        """Null for a link without a PIN. A list passes every link's state in the context (one query)."""
        if not link.has_pin:
            return None
        states = self.context.get("pin_locks") or pin_limits.lock_states(link_ids=[link.id])
        return PinLockSerializer(states[link.id]).data

    def get_code(self, link: ShareLink) -> str:
        return codes.format_code(link.code)

    def get_code_url(self, link: ShareLink) -> str:
        return link_services.link_url(base_url=self.context.get("base_url", ""), key=link.code)

    def _printable(self, link: ShareLink, name: str) -> str:
        return reverse("api:share-link-printable", args=[link.event_id, link.id, name])

    def get_qr_png_url(self, link: ShareLink) -> str | None:
        return None if link.revoked_at else self._printable(link, "qr.png")

    def get_qr_svg_url(self, link: ShareLink) -> str | None:
        return None if link.revoked_at else self._printable(link, "qr.svg")

    def get_barcode_png_url(self, link: ShareLink) -> str:
        return self._printable(link, "barcode.png")

    def get_card_png_url(self, link: ShareLink) -> str | None:
        return None if link.revoked_at else self._printable(link, "card.png")


class ShareLinkCreatedSerializer(ShareLinkOutputSerializer):
    """The creation answer's shape (for the schema): the link plus its token and URL."""

    token = serializers.CharField(help_text="Shown once: only its hash is stored.")
    url = serializers.CharField(help_text="The guest link (contains the token).")

    class Meta(ShareLinkOutputSerializer.Meta):
        fields = [*ShareLinkOutputSerializer.Meta.fields, "token", "url"]


class ShareLinkListCreateApi(EventApi):
    pagination_class = PageNumberPagination
    idempotency_secrets = ("token", "url")
    required = "share"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ShareLinkCreateInput"

        scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.SELFIE)
        person = IdField(required=False, allow_null=True)
        label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        expires_at = serializers.DateTimeField(required=False, allow_null=True)
        max_uses = CountField(required=False, allow_null=True, min_value=1)
        pin = PinField(required=False, allow_blank=True, default="")
        # Absent: the studio's share-link defaults (studio settings), else originals and no watermark.
        allow_download = DownloadField(required=False)
        watermark = serializers.BooleanField(required=False)
        photo_ids = serializers.ListField(child=IdField(), required=False, max_length=5000,
                                          help_text="For scope `photos`: the photos of this event the link shows.")

    @extend_schema(operation_id="share_links_list", summary="List an event's share links",
                   responses=ShareLinkOutputSerializer(many=True), examples=ex.LINK_LIST,
                   description="The event's guest links, newest first, 50 a page, with their state and usage. "
                   "Tokens are never listed: only the short code.")
    def get(self, request, event_id: int):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.share_link_list(event=self.event), request, view=self)
        context = {"base_url": base_url(request),
                   "pin_locks": pin_limits.lock_states(link_ids=[link.id for link in page if link.has_pin])}
        return paginator.get_paginated_response(ShareLinkOutputSerializer(page, many=True, context=context).data)

    @extend_schema(operation_id="share_links_create", summary="Create a share link", request=InputSerializer,
                   responses={201: ShareLinkCreatedSerializer}, examples=ex.LINK_CREATE,
                   description="A guest link for the whole event (`event`), one person (`person`), selected "
                   "photos (`photos`, with `photo_ids`: the studio gallery's \"Share\") or selfie search "
                   "(`selfie`), with optional expiry, PIN, use limit and download rule; what is left out comes from the "
                   "studio's share-link defaults (`/api/v1/studio/settings/`). The answer carries the "
                   "`token` and `url` once: store them, only a hash is kept.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person_id = fields.pop("person", None)
        person = selectors.person_of_event(event=self.event, person_id=person_id) if person_id else None
        if person_id and person is None:
            raise ValidationError({"person": "No such person in this event."})
        if "allow_download" in fields:
            fields["download"] = fields.pop("allow_download")
        fields = link_fields_with_defaults(studio=self.event.studio, fields=fields)
        created = link_services.share_link_create(event=self.event, user=request.user, base_url=base_url(request),
                                                  person=person, **fields)
        body = ShareLinkOutputSerializer(created.link, context={"base_url": base_url(request)}).data
        body.update(token=created.token, url=created.url)  # the only time the token is ever sent
        return Response(body, status=status.HTTP_201_CREATED)


class ShareLinkDetailApi(EventApi):
    required = "share"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ShareLinkUpdateInput"

        label = serializers.CharField(max_length=100, required=False, allow_blank=True)
        expires_at = serializers.DateTimeField(required=False, allow_null=True)
        max_uses = CountField(required=False, allow_null=True, min_value=1)
        pin = PinField(required=False, allow_blank=True, allow_null=True, help_text='"" or null removes the PIN.')
        allow_download = DownloadField(required=False)
        watermark = serializers.BooleanField(required=False)

    @extend_schema(operation_id="share_links_get", summary="Get a share link", responses=ShareLinkOutputSerializer,
                   examples=ex.LINK_GET, description="One link with its access rules, state and usage counts.")
    def get(self, request, event_id: int, link_id: int):
        link = selectors.share_link_get(event=self.event, link_id=link_id)
        return Response(ShareLinkOutputSerializer(link, context={"base_url": base_url(request)}).data)

    @extend_schema(operation_id="share_links_update", summary="Change a share link's access rules",
                   request=InputSerializer, responses=ShareLinkOutputSerializer, examples=ex.LINK_UPDATE,
                   description="Changes only the fields sent; `pin` \"\" or null removes the PIN.")
    def patch(self, request, event_id: int, link_id: int):
        link = selectors.share_link_get(event=self.event, link_id=link_id)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "allow_download" in fields:
            fields["download"] = fields.pop("allow_download")
        if "pin" in fields:
            fields["pin"] = fields["pin"] or ""
        link = link_services.share_link_update(link=link, **fields)
        return Response(ShareLinkOutputSerializer(link, context={"base_url": base_url(request)}).data)


class ShareLinkRevokeApi(EventApi):
    required = "share"

    @extend_schema(operation_id="share_links_revoke", summary="Revoke a share link", request=None,
                   responses=ShareLinkOutputSerializer, examples=ex.LINK_REVOKE,
                   description="The link stops working at once (guests get a 410) and its QR codes are deleted.")
    def post(self, request, event_id: int, link_id: int):
        link = link_services.share_link_revoke(link=selectors.share_link_get(event=self.event, link_id=link_id))
        return Response(ShareLinkOutputSerializer(link, context={"base_url": base_url(request)}).data)


class ShareLinkUnlockApi(EventApi):
    required = "share"

    @extend_schema(operation_id="share_links_unlock", summary="Unlock a share link's PIN", request=None,
                   responses=ShareLinkOutputSerializer, examples=ex.LINK_UNLOCK,
                   description="Forgets every wrong PIN counted on the link: devices locked out, addresses and the "
                   "link paused get their tries back at once (`pin_lock` shows who waits).")
    def post(self, request, event_id: int, link_id: int):
        link = link_services.share_link_unlock(link=selectors.share_link_get(event=self.event, link_id=link_id))
        return Response(ShareLinkOutputSerializer(link, context={"base_url": base_url(request)}).data)


class ShareLinkPrintableApi(EventApi):
    """qr.png, qr.svg (stored at creation: they carry the token), barcode.png, card.png."""

    required = "share"
    CONTENT_TYPES = {"qr.png": "image/png", "qr.svg": "image/svg+xml", "barcode.png": "image/png", "card.png": "image/png"}

    @extend_schema(operation_id="share_links_printable", summary="Get a share link's QR code, barcode or card",
                   responses={(200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
                              (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.BINARY)},
                   examples=ex.PRINTABLE, description="`name` is qr.png, qr.svg, barcode.png (the short code, "
                   "Code 128) or card.png (a 4×6 in event card at 300 dpi). QR codes carry the token, so they "
                   "exist only until the link is revoked.")
    def get(self, request, event_id: int, link_id: int, name: str):
        link = selectors.share_link_get(event=self.event, link_id=link_id)
        if name not in self.CONTENT_TYPES:
            raise Http404("No such printable.")
        if name == "barcode.png":
            content = codes.barcode_png(link.code)
        else:
            content = self._with_qr(request, link, name)
        response = HttpResponse(content, content_type=self.CONTENT_TYPES[name])
        response["Content-Disposition"] = f'inline; filename="link-{link.id}-{name}"'
        response["Cache-Control"] = "private, no-store"  # carries the token
        return response

    def _with_qr(self, request, link: ShareLink, name: str) -> bytes:
        storage = object_storage()
        if link.revoked_at is not None or not storage.exists(qr_key(link, "png")):
            raise Http404("This link is revoked: its QR code is gone.")
        if name == "card.png":
            with storage.open(qr_key(link, "png"), "rb") as fh:
                qr = fh.read()
            code_page = base_url(request).split("://", 1)[-1] + "/s/"
            return codes.event_card_png(event_name=link.event.name, qr_image_png=qr, code=link.code, code_page_url=code_page)
        with storage.open(qr_key(link, name.split(".")[1]), "rb") as fh:
            return fh.read()
