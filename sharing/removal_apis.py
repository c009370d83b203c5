"""The studio's side of "forget me": list removal requests, confirm or reject one.

Deciding needs the "curate" action (studio owners, admins, photographers): organizers see
nothing here, since confirming hides faces from guests for good.
"""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from sharing.services.removals import removal_request_decide, removal_request_list
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
                   "trail. The faces of a pending request are already hidden from guest searches.")
    def get(self, request, event_id: int):
        """Every guest's "forget me" request on this event, newest first, with its audit trail."""
        return Response(RemovalRequestSerializer(removal_request_list(event=self.event), many=True).data)


class RemovalRequestDecideApi(EventApi):
    required = "curate"
    confirm = True
    openapi_operation_id = staticmethod(lambda view: "removal_requests_" + ("confirm" if view.confirm else "reject"))

    @extend_schema(request=None, responses={200: RemovalRequestSerializer, **errors(409)}, examples=ex.REMOVAL_DECIDE,
                   summary="Confirm or reject a removal request",  # operationId: removal_requests_confirm / _reject
                   description="confirm: the faces stay hidden from guests for good; reject: they come back. "
                   "409 if the request was already decided.")
    def post(self, request, event_id: int, request_id: int):
        """confirm: the faces stay hidden from guests for good; reject: they come back."""
        decided = removal_request_decide(event=self.event, request_id=request_id, user=request.user, confirm=self.confirm)
        return Response(RemovalRequestSerializer(decided).data)
