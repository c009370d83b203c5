"""The studio's settings over REST: /api/v1/studio/settings/ (name, guest-page colour, watermark text,
retention, share-link defaults) and /api/v1/studio/settings/logo (the logo on guest pages). Every member
reads them; owners and admins change them (sharing.services.studio_settings)."""
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.access import membership_can
from core.api import StudioApi
from core.schema import ERROR_SCHEMA
from sharing.models import Download
from sharing.selectors import studio_policy_get
from sharing.services import studio_settings as service

_ERRORS = {400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA}
_SETTINGS = {
    "name": "Lumen Weddings", "brand_color": "#0f766e", "brand_ink": "#ffffff", "has_logo": True,
    "watermark_text": "© Lumen Weddings", "retention_days": 90, "link_expiry_days": 30, "link_max_uses": None,
    "link_download": "originals", "link_watermark": False, "link_pin_required": False,
    "consent_note": "Lumen Weddings keeps event photos for two years.", "consent_note_version": 1,
}


_NO_LOGO = OpenApiExample("No logo", response_only=True, status_codes=["404"], value={"error": {
    "code": "not_found", "message": "This studio has no logo.", "details": None}})


class SettingsSerializer(serializers.Serializer):
    class Meta:
        ref_name = "StudioSettings"

    name = serializers.CharField(max_length=120)
    brand_color = serializers.CharField(allow_blank=True, help_text="#rrggbb of the guest pages' bar; \"\": Visage's.")
    brand_ink = serializers.CharField(read_only=True, help_text="The text colour chosen for contrast on brand_color.")
    has_logo = serializers.BooleanField(read_only=True)
    watermark_text = serializers.CharField(allow_blank=True, max_length=60,
                                           help_text="On watermarked previews; \"\": the studio's name.")
    retention_days = serializers.IntegerField(min_value=1, max_value=3650)
    link_expiry_days = serializers.IntegerField(min_value=1, max_value=3650, allow_null=True,
                                                help_text="A new share link expires this many days on; null: never.")
    link_max_uses = serializers.IntegerField(min_value=1, max_value=100000, allow_null=True)
    link_download = serializers.ChoiceField(choices=Download.choices)
    link_watermark = serializers.BooleanField()
    link_pin_required = serializers.BooleanField(help_text="New links must have a PIN.")
    consent_note = serializers.CharField(allow_blank=True, max_length=1000, help_text=(
        "The studio's own words shown under the consent text on the guest pages. Each change gives consents "
        "from then on a new version (\"…+studio.N\"), so every record says which wording was agreed to."))
    consent_note_version = serializers.IntegerField(read_only=True)


def settings_body(studio) -> dict:
    policy = studio_policy_get(studio=studio)
    return {"name": studio.name, "brand_color": policy.brand_color,
            "brand_ink": service.brand_ink(policy.brand_color) if policy.brand_color else "",
            "has_logo": bool(policy.logo_key), "watermark_text": policy.watermark_text,
            "consent_note_version": policy.consent_note_version,
            **{field: getattr(policy, field) for field in service.EDITABLE if field not in ("brand_color", "watermark_text")}}


class _SettingsApi(StudioApi):
    def require_manager(self) -> None:
        if not membership_can(self.membership, "administer"):
            raise PermissionDenied("Only the studio's owners and admins change its settings.")


class StudioSettingsApi(_SettingsApi):
    @extend_schema(operation_id="studio_settings_get", summary="Get the studio's settings",
                   description="Its name, the colour (and the ink chosen for it) and logo on guest pages, the "
                               "watermark text, retention and share-link defaults. Any member may read them.",
                   responses={200: SettingsSerializer, **_ERRORS},
                   examples=[OpenApiExample("A branded studio", response_only=True, value=_SETTINGS)])
    def get(self, request):
        return Response(settings_body(self.studio))

    @extend_schema(operation_id="studio_settings_update", summary="Change the studio's settings",
                   description="Any subset of the fields. The colour must be #rrggbb; the text on it is chosen for "
                               "contrast (`brand_ink`). Share-link defaults apply to links created afterwards when "
                               "the request leaves the field out. Owners and admins only.",
                   request=SettingsSerializer(partial=True), responses={200: SettingsSerializer, **_ERRORS},
                   examples=[OpenApiExample("Brand and link defaults", request_only=True, value={
                       "brand_color": "#0f766e", "watermark_text": "© Lumen Weddings", "link_expiry_days": 30}),
                       OpenApiExample("A colour that is not #rrggbb", response_only=True, status_codes=["400"], value={
                           "error": {"code": "invalid", "message": "Give the colour as #rrggbb, e.g. #0f766e.",
                                     "details": ["Give the colour as #rrggbb, e.g. #0f766e."]}})])
    def patch(self, request):
        self.require_manager()
        data = SettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        service.studio_settings_update(studio=self.studio, **data.validated_data)
        return Response(settings_body(self.studio))


class StudioLogoApi(_SettingsApi):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="studio_logo_get", summary="The studio's logo (PNG)",
                   description="The stored logo, a PNG of at most 512 px; 404 when the studio has none. Any member.",
                   responses={(200, "image/png"): bytes, 404: ERROR_SCHEMA}, examples=[_NO_LOGO])
    def get(self, request):
        content = service.studio_logo_bytes(studio_id=self.studio.id)
        if content is None:
            raise NotFound("This studio has no logo.")
        return HttpResponse(content, content_type="image/png")

    @extend_schema(operation_id="studio_logo_set", summary="Upload the studio's logo",
                   description="multipart `logo`: PNG, JPEG or WebP, at most 1 MB and 4096 × 4096 pixels. Stored "
                               "re-encoded as a PNG of at most 512 px and shown on the guest pages. Owners and admins.",
                   request={"multipart/form-data": {"type": "object", "properties": {
                       "logo": {"type": "string", "format": "binary"}}, "required": ["logo"]}},
                   responses={200: SettingsSerializer, **_ERRORS}, examples=[
                       OpenApiExample("Settings with the new logo", response_only=True, value=_SETTINGS),
                       OpenApiExample("Not an image", response_only=True, status_codes=["400"], value={"error": {
                           "code": "invalid", "message": "This file is not an image we can read: use a PNG, JPEG or WebP.",
                           "details": ["This file is not an image we can read: use a PNG, JPEG or WebP."]}})])
    def put(self, request):
        self.require_manager()
        upload = request.FILES.get("logo")
        if upload is None:
            raise ValidationError({"logo": "Send the image as the multipart field `logo`."})
        if upload.size > service.LOGO_MAX_BYTES:
            raise ValidationError({"logo": f"The logo is larger than {service.LOGO_MAX_BYTES // 1024} KB."})
        service.studio_logo_set(studio=self.studio, content=upload.read())
        return Response(settings_body(self.studio))

    @extend_schema(operation_id="studio_logo_delete", summary="Remove the studio's logo",
                   description="Guest pages show no logo from now on; the stored file is deleted. Owners and admins.",
                   responses={204: None, **_ERRORS}, examples=[OpenApiExample(
                       "A viewer may not", response_only=True, status_codes=["403"], value={"error": {
                           "code": "permission_denied", "message": "Only the studio's owners and admins change its settings.",
                           "details": None}})])
    def delete(self, request):
        self.require_manager()
        service.studio_logo_clear(studio=self.studio)
        return Response(status=status.HTTP_204_NO_CONTENT)
