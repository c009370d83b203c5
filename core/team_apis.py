"""The studio's team over REST: /api/v1/studio/members/. Everyone in the studio lists it; owners and
admins invite, change roles and remove (core.team; only owners touch the owner role). Signed-in
people only: an API key never manages people (core.api_keys.USER_ONLY_ROUTES)."""
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.access import DEFAULT_INVITE_ROLE
from core.api import StudioApi
from core.schema import ERROR_SCHEMA
from core.tenancy.models import Role
from core.team import member_get, member_invite, member_remove, member_role_change, team_list

_ERRORS = {401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA}


class MemberSerializer(serializers.Serializer):
    class Meta:
        ref_name = "StudioMember"

    user_id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    joined_at = serializers.DateTimeField()
    pending = serializers.BooleanField(help_text="Invited and has not chosen a password yet.")


_MEMBER = {"user_id": 12, "email": "sam@studio.example", "role": "photographer", "joined_at": "2026-11-30T09:00:00Z",
           "pending": True}
_LIST = OpenApiExample("An owner and an invited second shooter", response_only=True, value=[
    {**_MEMBER, "user_id": 3, "email": "ana@studio.example", "role": "owner", "pending": False}, _MEMBER])
_INVITE = OpenApiExample("Invite a second shooter", request_only=True,
                         value={"email": "sam@studio.example", "role": "photographer"})
_INVITED = OpenApiExample("Invited", response_only=True, status_codes=["201"], value=_MEMBER)
_LAST_OWNER = OpenApiExample("The last owner", response_only=True, status_codes=["409"], value={"error": {
    "code": "last_owner", "message": "The studio needs at least one owner: make someone else owner first.",
    "details": None}})


class TeamApi(StudioApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StudioMemberInvite"

        email = serializers.EmailField()
        role = serializers.ChoiceField(choices=Role.choices, default=DEFAULT_INVITE_ROLE)

    @extend_schema(operation_id="studio_members_list", summary="List the studio's team",
                   description="Every person in the studio with their role (API keys' service accounts are not "
                               "listed). Any member may read it.",
                   responses={200: MemberSerializer(many=True), **_ERRORS}, examples=[_LIST])
    def get(self, request):
        return Response(MemberSerializer(team_list(studio=self.studio), many=True).data)

    @extend_schema(operation_id="studio_members_invite", summary="Invite someone to the studio",
                   description="Adds the address with the role and e-mails it: a new address gets a link to choose "
                               "a password (works once, expires after PASSWORD_RESET_TIMEOUT); an existing account is "
                               "told to sign in. Owners and admins; only owners invite owners. 400 `invalid` when "
                               "the address is already in the studio.",
                   request=InputSerializer, responses={201: MemberSerializer, 400: ERROR_SCHEMA, **_ERRORS},
                   examples=[_INVITE, _INVITED])
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = member_invite(actor=self.membership, base_url=request.build_absolute_uri("/"), **data.validated_data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


class TeamMemberApi(StudioApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StudioMemberRole"

        role = serializers.ChoiceField(choices=Role.choices)

    @extend_schema(operation_id="studio_members_role", summary="Change a member's role",
                   description="Owners and admins; only owners give or take the owner role. 409 `last_owner` when "
                               "it would leave the studio without an owner. Another studio's member is a 404.",
                   request=InputSerializer, responses={200: MemberSerializer, 409: ERROR_SCHEMA, **_ERRORS},
                   examples=[OpenApiExample("Make an admin", request_only=True, value={"role": "admin"}), _LAST_OWNER])
    def patch(self, request, user_id: int):
        member_get(studio=self.studio, user_id=user_id)  # another studio's member: 404 before anything is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = member_role_change(actor=self.membership, user_id=user_id, role=data.validated_data["role"])
        return Response(MemberSerializer(member).data)

    @extend_schema(operation_id="studio_members_remove", summary="Remove a member from the studio",
                   description="They lose access to the studio at once and the API keys they created in it stop "
                               "working. Owners and admins (only owners remove owners); never the last owner (409).",
                   responses={204: None, 409: ERROR_SCHEMA, **_ERRORS}, examples=[_LAST_OWNER])
    def delete(self, request, user_id: int):
        member_remove(actor=self.membership, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
