"""REST endpoints for an event's camera account: parse, call one service, serialize."""
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from camera import services
from camera.conf import connection_details
from events.api import EventApi


class CameraUploadOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "CameraUpload"

    host = serializers.CharField(help_text="The FTP server's name or address to enter in the camera.")
    port = serializers.IntegerField()
    username = serializers.CharField(help_text="This event's camera account (stable across password rotations).")
    password = serializers.CharField(allow_null=True, help_text=(
        "Only in the answer to a rotation, that once: only a hash is kept. Null otherwise."))
    has_password = serializers.BooleanField(help_text="False until the first rotation: no camera can log in before.")
    tls = serializers.ChoiceField(choices=["off", "optional", "required"], help_text=(
        "FTPS (explicit, AUTH TLS): off (plain FTP only), optional (offered), required (plain FTP refused)."))
    enabled = serializers.BooleanField(help_text="Camera upload on for this event (owners and admins switch it).")
    uri = serializers.CharField(help_text="ftp://username@host:port/ for apps that read a URI (the QR code on the event page).")
    rotated_at = serializers.DateTimeField(allow_null=True)


class CameraUploadSwitchSerializer(serializers.Serializer):
    class Meta:
        ref_name = "CameraUploadSwitchInput"

    enabled = serializers.BooleanField(help_text="false: the camera's logins and uploads are refused at once.")


_CREDENTIALS = {"host": "photos.example.com", "port": 2121, "username": "e42-k3m9qz", "password": None,
                "has_password": True, "tls": "optional", "enabled": True,
                "uri": "ftp://e42-k3m9qz@photos.example.com:2121/", "rotated_at": "2026-12-03T09:30:00Z"}
_SHOWN = OpenApiExample("The account (password never shown again)", response_only=True, value=_CREDENTIALS)
_ROTATED = OpenApiExample("A new password, shown once", response_only=True, value={
    **_CREDENTIALS, "password": "h7kq-2mzt-x9pa-c4rw", "rotated_at": "2026-12-03T10:02:11Z"})
_SWITCH = OpenApiExample("Turn camera upload off", request_only=True, value={"enabled": False})


class CameraUploadApi(EventApi):
    required_by_method = {"GET": "camera_upload", "PATCH": "camera_switch", "POST": "camera_switch"}

    @extend_schema(operation_id="camera_upload_get", summary="Get the event's camera upload (FTP) account",
                   responses=CameraUploadOutputSerializer, examples=[_SHOWN],
                   description="Where a camera sends photos over FTP/FTPS for this event: host, port, username, "
                   "TLS and whether it is on. The password is never shown here (null): rotate to get a new one. "
                   "Owners, admins and photographers.")
    def get(self, request, event_id: int):
        credentials = services.camera_credentials(event=self.event)
        return Response(connection_details(request_host=request.get_host(), credentials=credentials))

    @extend_schema(operation_id="camera_upload_switch", summary="Turn the event's camera upload on or off",
                   request=CameraUploadSwitchSerializer, responses=CameraUploadOutputSerializer,
                   examples=[_SWITCH, _SHOWN], description="Off: the camera's logins are refused, and uploads "
                   "in progress are refused when they end. On again: the same username and password work. "
                   "Owners and admins only.")
    def patch(self, request, event_id: int):
        data = CameraUploadSwitchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = services.camera_upload_switch(event=self.event, enabled=data.validated_data["enabled"])
        return Response(connection_details(request_host=request.get_host(), credentials=credentials))

    @extend_schema(operation_id="camera_upload_switch_post", summary="Turn the event's camera upload on or off (POST)",
                   request=CameraUploadSwitchSerializer, responses=CameraUploadOutputSerializer,
                   examples=[_SWITCH, _SHOWN], description="The same as PATCH, for clients that only POST. "
                   "Owners and admins only.")
    def post(self, request, event_id: int):
        return self.patch(request, event_id)


class CameraUploadRotateApi(EventApi):
    required = "camera_upload"
    idempotency_secrets = ("password",)

    @extend_schema(operation_id="camera_upload_rotate", summary="Make a new camera upload password",
                   request=None, responses=CameraUploadOutputSerializer, examples=[_ROTATED],
                   description="A new password for the event's camera account, in `password` this once (only "
                   "its hash is kept); the old one stops working at once. The first rotation opens the account. "
                   "Owners, admins and photographers.")
    def post(self, request, event_id: int):
        credentials = services.camera_password_rotate(event=self.event)
        return Response(connection_details(request_host=request.get_host(), credentials=credentials))
