"""The studio's side of "forget me": list removal requests, confirm or reject one.

Deciding needs the "curate" action (studio owners, admins, photographers): organizers see
nothing here, since confirming hides faces from guests for good.
"""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from sharing.selectors import removal_policy_get
from sharing.services.removals import removal_policy_set, removal_request_decide, removal_request_list
from events.api import EventApi
from core.schema import errors
from sharing import api_examples as ex


class RemovalLogSerializer(serializers.Serializer):
    class Meta:
        ref_name = "RemovalLogEntry"

    action = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.EmailField(source="by.email", allow_null=True, default=None)
    faces = serializers.IntegerField()


class RemovalRequestSerializer(serializers.Serializer):
    class Meta:
        ref_name = "RemovalRequest"

    id = serializers.IntegerField()
    state = serializers.CharField()
    person_id = serializers.IntegerField(allow_null=True)
    link_id = serializers.IntegerField(allow_null=True)
    faces = serializers.SerializerMethodField()
    face_ids = serializers.ListField(child=serializers.IntegerField())
    hidden_for_everyone = serializers.BooleanField(help_text="False while pending: the faces are hidden from the "
                                                   "requesting guest's phone only. True once confirmed, or after a "
                                                   "matching second selfie on events that hide at once.")
    verified_at = serializers.DateTimeField(allow_null=True, help_text="When a second selfie matched (opt-in).")
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.EmailField(source="decided_by.email", allow_null=True, default=None)
    log = RemovalLogSerializer(many=True, source="log.all")

    def get_faces(self, removal) -> int:
        return len(removal.face_ids)


class RemovalRequestListApi(EventApi):
    required = "curate"

    @extend_schema(operation_id="removal_requests_list", summary="List guests' removal requests",
                   responses=RemovalRequestSerializer(many=True), examples=ex.REMOVAL_LIST,
                   description="Every guest's \"forget me\" request on this event, newest first, with its audit "
                   "trail. A pending request hides its faces from the requesting guest only (unless "
                   "`hidden_for_everyone`); the event's `counters.removal_requests_pending` counts them.")
    def get(self, request, event_id: int):
        """Every guest's "forget me" request on this event, newest first, with its audit trail."""
        return Response(RemovalRequestSerializer(removal_request_list(event=self.event), many=True).data)


class RemovalRequestDecideApi(EventApi):
    required = "curate"
    confirm = True
    openapi_operation_id = staticmethod(lambda view: "removal_requests_" + ("confirm" if view.confirm else "reject"))

    @extend_schema(request=None, responses={200: RemovalRequestSerializer, **errors(409)}, examples=ex.REMOVAL_DECIDE,
                   summary="Confirm or reject a removal request",  # operationId: removal_requests_confirm / _reject
                   description="confirm: the faces are hidden from every guest for good; reject: nothing stays "
                   "hidden (not even from the requester). 409 if the request was already decided.")
    def post(self, request, event_id: int, request_id: int):
        """confirm: hidden from every guest for good; reject: nothing stays hidden."""
        decided = removal_request_decide(event=self.event, request_id=request_id, user=request.user, confirm=self.confirm)
        return Response(RemovalRequestSerializer(decided).data)


class RemovalPolicyApi(EventApi):
    """Whether a "forget me" on this event may hide faces from everyone after a second selfie."""

    required = "curate"

    class PolicySerializer(serializers.Serializer):
        class Meta:
            ref_name = "RemovalPolicy"

        hide_at_once = serializers.BooleanField(help_text=(
            "false (default): a request hides the faces from the requesting guest only until you decide. true "
            "(schools): also from everyone, once the requester passes a second, fresh selfie of that person."))

    @extend_schema(operation_id="removal_policy_get", summary="Get the event's \"forget me\" policy",
                   responses=PolicySerializer, examples=ex.REMOVAL_POLICY,
                   description="Whether removal requests may hide faces from every guest before you decide.")
    def get(self, request, event_id: int):
        return Response(self.PolicySerializer(removal_policy_get(event=self.event)).data)

    @extend_schema(operation_id="removal_policy_update", summary="Change the event's \"forget me\" policy",
                   request=PolicySerializer, responses=PolicySerializer, examples=ex.REMOVAL_POLICY,
                   description="Opt the event in (or out) of hiding at once after a second selfie (docs/sharing.md).")
    def patch(self, request, event_id: int):
        data = self.PolicySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = removal_policy_set(event=self.event, hide_at_once=data.validated_data["hide_at_once"])
        return Response(self.PolicySerializer(policy).data)
