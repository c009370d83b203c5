"""REST endpoints for a studio's API keys: owners and admins create, list and revoke them."""
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import StudioApi
from core.schema import ERROR_SCHEMA
from core.access import membership_can
from core.tenancy.api_keys import api_key_create, api_key_get, api_key_list, api_key_revoke
from core.tenancy.models import ApiKeyScope

_ERRORS = {
    401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA,
}


class ApiKeyOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ApiKey"

    id = serializers.IntegerField()
    name = serializers.CharField()
    scope = serializers.ChoiceField(choices=ApiKeyScope.choices)
    prefix = serializers.CharField(help_text="The start of the key (after 'vk_'), to tell keys apart.")
    created_at = serializers.DateTimeField()
    created_by = serializers.EmailField(source="created_by.email", allow_null=True, default=None)
    last_used_at = serializers.DateTimeField(allow_null=True, help_text="Updated at most once a minute.")
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField(help_text="Why, when it was not revoked by hand: \"its creator is no longer "
                                           "a member of the studio\" or \"its creator's account was deactivated\".")


class ApiKeyCreatedSerializer(ApiKeyOutputSerializer):
    class Meta:
        ref_name = "ApiKeyCreated"

    key = serializers.CharField(help_text="The whole key. Shown this once only: store it now.")


class _KeyManagerApi(StudioApi):

    def require_key_manager(self) -> None:
        if not membership_can(self.membership, "administer"):
            raise PermissionDenied("Only the studio's owners and admins manage API keys.")


_KEY = {
    "id": 7, "name": "Lightroom plug-in", "scope": "upload", "prefix": "3f9a0c1e",
    "created_at": "2026-05-01T09:30:00Z", "created_by": "owner@studio.example", "last_used_at": None,
    "revoked_at": None, "revoked_reason": "",
}
_CREATED_EXAMPLE = OpenApiExample("A new upload key", response_only=True, status_codes=["201"], value={
    **_KEY, "key": "vk_3f9a0c1e_Jx2…(43 characters)"})
_LIST_EXAMPLE = OpenApiExample("Two keys, one revoked", response_only=True, value=[
    {**_KEY, "last_used_at": "2026-05-02T18:04:11Z"},
    {**_KEY, "id": 3, "name": "Old uploader", "prefix": "b01d9e22", "created_at": "2026-01-10T08:00:00Z",
     "revoked_at": "2026-04-30T12:00:00Z", "revoked_reason": "its creator is no longer a member of the studio"}])
_REVOKE_EXAMPLE = OpenApiExample("Not this studio's key", response_only=True, status_codes=["404"], value={
    "error": {"code": "not_found", "message": "No such API key.", "details": None}})


class ApiKeyListCreateApi(_KeyManagerApi):
    idempotency_secrets = ("key",)
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ApiKeyCreateInput"

        name = serializers.CharField(max_length=100, help_text="What the key is for, e.g. 'Lightroom plug-in'.")
        scope = serializers.ChoiceField(choices=ApiKeyScope.choices, help_text=(
            "read: GET only. upload: read, create events and upload photos. full: everything a studio admin "
            "can do through the API, except managing API keys."))

    @extend_schema(
        summary="List the studio's API keys",
        description="Every key of the studio, newest first, revoked ones included. Keys themselves are never "
                    "shown again after creation; `prefix` tells them apart. Owners and admins only; API keys "
                    "cannot call this.",
        responses={200: ApiKeyOutputSerializer(many=True), **_ERRORS}, examples=[_LIST_EXAMPLE],
    )
    def get(self, request):
        self.require_key_manager()
        return Response(ApiKeyOutputSerializer(api_key_list(studio=self.studio), many=True).data)

    @extend_schema(
        summary="Create an API key",
        description="Creates a key for this studio and returns it once, in `key`: only a hash is kept. Send it "
                    "as `Authorization: Api-Key <key>`. Owners and admins only, signed in as themselves (an API "
                    "key cannot create keys).",
        request=InputSerializer,
        responses={201: ApiKeyCreatedSerializer, 400: ERROR_SCHEMA, **_ERRORS},
        examples=[OpenApiExample("Upload key", request_only=True, value={"name": "Lightroom plug-in", "scope": "upload"}),
                  _CREATED_EXAMPLE],
    )
    def post(self, request):
        self.require_key_manager()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = api_key_create(studio=self.studio, created_by=request.user, **data.validated_data)
        body = {**ApiKeyOutputSerializer(created.api_key).data, "key": created.key}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyRevokeApi(_KeyManagerApi):
    @extend_schema(
        summary="Revoke an API key",
        description="The key stops working at once (its next request gets a 401). The key stays in the list "
                    "with `revoked_at` set. Owners and admins only; another studio's key is a 404.",
        responses={204: None, **_ERRORS}, examples=[_REVOKE_EXAMPLE],
    )
    def delete(self, request, key_id: int):
        self.require_key_manager()
        api_key_revoke(api_key=api_key_get(studio=self.studio, key_id=key_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
