"""Guest "forget me" endpoints under /api/v1/guest/{token}/forget: the request, and on events
that hide at once, its confirmation with a second, fresh selfie (sharing.services.removals)."""
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.schema import errors
from sharing import api_examples as ex
from sharing.authentication import session_cookie_name
from sharing.errors import ConsentMissing
from sharing.guest_apis import GuestApi, SelfieUploadHandler
from sharing.services.removals import guest_forget, removal_verify


class GuestForgetApi(GuestApi):
    @extend_schema(request=None, responses={200: inline_serializer("GuestForgetOutput", {
        "message": serializers.CharField(),
        "faces_hidden": serializers.IntegerField(help_text="Faces hidden from you (this phone) at once."),
        "hidden_for_everyone": serializers.BooleanField(help_text="Always false here: other guests still see "
                                                        "them until the studio confirms (or a second selfie passes)."),
        "request_state": serializers.CharField(allow_null=True),
        "verify_token": serializers.CharField(allow_null=True, help_text="Only on events that hide at once: send "
                                              "it with a new selfie to /forget/verify to hide the faces from "
                                              "everyone now.")}), **errors(403)},
        operation_id="guest_forget", summary="Forget me", examples=ex.GUEST_FORGET,
        description="Ends the visit and withdraws consent at once. The faces your own last selfie matched are "
                    "hidden from you (this phone) at once, and the studio is asked to remove them for everyone: it "
                    "confirms or rejects. On events that opt in, a second, fresh selfie of the same person "
                    "(/forget/verify) hides them from everyone until the studio decides.")
    def post(self, request, token: str):
        filed = guest_forget(session=self.require_session(), client=self.guest.client)
        removal = filed.request if filed else None
        response = Response({
            "message": FORGET_ASK_SELFIE if filed and filed.verify_secret else FORGET_DONE,
            "faces_hidden": len(removal.face_ids) if removal else 0, "hidden_for_everyone": False,
            "request_state": removal.state if removal else None,
            "verify_token": (filed.verify_secret or None) if filed else None})
        response.delete_cookie(session_cookie_name(self.guest.link), path="/")
        return response


class GuestForgetVerifyApi(GuestApi):
    parser_classes = [MultiPartParser, FormParser]
    upload_handler_class = SelfieUploadHandler

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "required": ["selfie", "consent", "verify_token"],
                                         "properties": {"selfie": {"type": "string", "format": "binary"},
                                                        "consent": {"type": "boolean"},
                                                        "verify_token": {"type": "string"}}}},
        responses={200: inline_serializer("GuestForgetVerifyOutput", {
            "message": serializers.CharField(), "hidden_for_everyone": serializers.BooleanField()}),
            **errors(400, 403, 410)},
        operation_id="guest_forget_verify", summary="Forget me: confirm with a second selfie",
        examples=ex.GUEST_FORGET_VERIFY,
        description="Only on events that hide at once: a new selfie (not the one searched), from the same phone, "
                    "within an hour and 3 tries. When it matches the person of the request, their faces are "
                    "hidden from every guest until the studio decides; 403 selfie_mismatch otherwise.")
    def post(self, request, token: str):
        if str(request.data.get("consent", "")).lower() not in ("true", "1", "yes", "on"):
            raise ConsentMissing()
        removal_verify(link=self.guest.link, client=self.guest.client, secret=request.data.get("verify_token", ""),
                       selfie=request.FILES.get("selfie"))
        return Response({"message": FORGET_VERIFIED, "hidden_for_everyone": True})


FORGET_DONE = gettext_lazy(
    "Done. Your visit has ended and your consent is withdrawn. The photos matched to your selfie are hidden from "
    "you, and the studio has been asked to remove them for everyone.")
FORGET_ASK_SELFIE = gettext_lazy(
    "Done. Your visit has ended and your consent is withdrawn. The photos matched to your selfie are hidden from "
    "you, and the studio has been asked to remove them. To hide them from everyone now, take a new selfie.")
FORGET_VERIFIED = gettext_lazy(
    "Thank you. Those photos are now hidden from every guest until the studio reviews your request.")
