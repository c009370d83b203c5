"""Organizers of an event: invited by email by the studio's writers ("invite"), removed the same way."""
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from events.models import EventOrganizer
from core.schema import errors
from sharing import api_examples as ex
from sharing import selectors
from sharing.apis import base_url
from sharing.services.organizers import organizer_invite, organizer_remove
from events.api import EventApi


class OrganizerOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "OrganizerOutput"

    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True, default=None)
    has_password = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_has_password(self, organizer: EventOrganizer) -> bool:
        return organizer.user.has_usable_password()


class OrganizerListCreateApi(EventApi):
    required = "invite"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OrganizerInviteInput"

        email = serializers.EmailField()

    @extend_schema(operation_id="organizers_list", summary="List an event's organizers",
                   responses=OrganizerOutputSerializer(many=True), examples=ex.ORGANIZER_LIST,
                   description="The event's clients who manage its share links, hidden photos and analytics. "
                   "Not paginated.")
    def get(self, request, event_id: int):
        return Response(OrganizerOutputSerializer(selectors.organizer_list(event=self.event), many=True).data)

    @extend_schema(operation_id="organizers_invite", summary="Invite an organizer", request=InputSerializer,
                   responses={201: OrganizerOutputSerializer}, examples=ex.ORGANIZER_INVITE,
                   description="Invites by email: a new address gets an account and a set-password email. "
                   "Organizers see only this event.")
    def post(self, request, event_id: int):
        """Invite by email: a new address gets an account and a set-password email."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organizer = organizer_invite(event=self.event, email=data.validated_data["email"], invited_by=request.user,
                                     base_url=base_url(request))
        return Response(OrganizerOutputSerializer(organizer).data, status=status.HTTP_201_CREATED)


class OrganizerDeleteApi(EventApi):
    required = "invite"

    @extend_schema(operation_id="organizers_remove", summary="Remove an organizer", responses={204: None, **errors(404)},
                   examples=ex.ORGANIZER_REMOVE, description="The user stops being an organizer of this event "
                   "(their account stays).")
    def delete(self, request, event_id: int, user_id: int):
        if not organizer_remove(event=self.event, user_id=user_id):
            raise Http404("No such organizer.")
        return Response(status=status.HTTP_204_NO_CONTENT)
