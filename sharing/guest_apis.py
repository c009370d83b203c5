"""Guest endpoints under /api/v1/guest/{token}/: the token (or short code) is the credential.

Every photo a guest reaches is looked up inside their session's visible set
(sharing.selectors.guest_photo_get); an id from another event or another guest is a 404.
"""
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.exceptions import NotFound

from events.uploads import SizeLimitedUploadHandler
from recognition.ml.calibration import BANDS, confidence_band
from sharing import conf, downloads, selectors
from sharing.authentication import (
    SESSION_HEADER, GuestAccess, IsShareLinkGuest, SharingAccessTokenAuthentication,
    set_session_cookie,
)
from sharing.consent import CONSENT_TEXT, CONSENT_VERSION
from sharing.errors import ConsentMissing, SessionRequired
from sharing.models import Download, GuestSession
from sharing.services.access import guest_pin_verify, guest_session_start
from sharing.notify.subscriptions import notify_offer
from sharing.services.guests import guest_search, guest_search_throttle
from core.api import ScopedApi
from core.parsers import BoundedJSONParser
from core.schema import errors
from sharing import api_examples as ex


class GuestApi(ScopedApi):
    """Scoped by the share link: the token authenticates (SharingAccessTokenAuthentication) and
    every object is looked up inside the guest's session or link."""

    dangerously_defines_scope = True
    authentication_classes = [SharingAccessTokenAuthentication]
    permission_classes = [IsShareLinkGuest]
    openapi_errors = (404, 410, 429)  # the link: unknown, revoked/expired/used up, too many tries (core.schema)
    upload_handler_class = None
    _new_secret: str | None = None

    def initial(self, request, *args, **kwargs):
        if self.upload_handler_class is not None:  # before anything reads the body
            request._request.upload_handlers = [self.upload_handler_class(request._request)]
        super().initial(request, *args, **kwargs)

    def resolve_scope(self, request, **kwargs) -> None:
        if not isinstance(request.auth, GuestAccess):  # IsShareLinkGuest already refused; never rely on it alone
            raise NotFound("No such link.")

    @property
    def guest(self) -> GuestAccess:
        return self.request.auth

    def require_session(self) -> GuestSession:
        if self.guest.session is None:
            raise SessionRequired()
        return self.guest.session

    def start_session(self, *, consent: bool, pin: str | None) -> GuestSession:
        """The live session, or a new one (consent first: no face is looked at without it)."""
        if self.guest.session is not None:
            return self.guest.session
        if not consent:
            raise ConsentMissing()
        guest_pin_verify(link=self.guest.link, pin=pin, client=self.guest.client)
        session, self._new_secret = guest_session_start(link=self.guest.link, consent=consent, client=self.guest.client)
        self.guest.session = session
        return session

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._new_secret:  # even on a 400 (say, no face found) the guest keeps the session to retry
            set_session_cookie(response, link=self.guest.link, session=self.guest.session, secret=self._new_secret)
            response[SESSION_HEADER] = self._new_secret
        return response


def photo_payload(key: str, link, photo_id: int, confidence: float | None) -> dict:
    original = reverse("api:guest-photo-original", args=[key, photo_id]) if link.download == Download.ORIGINALS else None
    band = confidence_band(confidence) if confidence is not None else None
    return {"photo_id": photo_id, "confidence": confidence, "confidence_band": band,
            "preview_url": reverse("api:guest-photo-preview", args=[key, photo_id]), "original_url": original}


class GuestPhotoSerializer(serializers.Serializer):
    class Meta:
        ref_name = "GuestPhoto"

    photo_id = serializers.IntegerField()
    confidence = serializers.FloatField(allow_null=True, help_text=(
        "Percent on the calibrated match scale: 50 at the search threshold, 70 from \"probably you\", 90 from "
        "\"very likely you\", 99 at a typical true match (docs/recognition.md). Null for album photos."))
    confidence_band = serializers.ChoiceField(choices=BANDS, allow_null=True, help_text=(
        "very_likely (\"very likely you\", >= 90), probably (>= 70) or maybe (50-70); on lfw-dev 99.9 %, 98 % "
        "and 75 % of such matches are the right person. Null for album photos."))
    preview_url = serializers.CharField()
    original_url = serializers.CharField(allow_null=True, help_text="Null when the link allows no original downloads.")


class GuestLinkApi(GuestApi):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "GuestLinkOutput"

        event_name = serializers.CharField()
        scope = serializers.CharField()
        requires_pin = serializers.BooleanField()
        download = serializers.CharField()
        consent_version = serializers.CharField()
        consent_text = serializers.CharField()
        session_active = serializers.BooleanField()

    @extend_schema(operation_id="guest_link_get", summary="Open a share link", responses=OutputSerializer,
                   examples=ex.GUEST_LINK, description="What the link offers (scope, PIN needed, downloads) and "
                   "the consent text to show before any selfie. `token` is the link's token or its short code.")
    def get(self, request, token: str):
        link = self.guest.link
        return Response(self.OutputSerializer({
            "event_name": link.event.name, "scope": link.scope, "requires_pin": link.has_pin, "download": link.download,
            "consent_version": CONSENT_VERSION, "consent_text": CONSENT_TEXT, "session_active": self.guest.session is not None,
        }).data)


_SESSION_HEADER = OpenApiParameter(SESSION_HEADER, str, OpenApiParameter.HEADER, response=[200, 201],
                                   description="The new visit's session secret, when this request started one.")
_SESSION = inline_serializer("GuestSessionOutput", {
    "session": serializers.CharField(allow_null=True, help_text="The secret for X-Guest-Session; null when a visit "
                                     "was already running."),
    "expires_at": serializers.DateTimeField()})


class GuestSessionApi(GuestApi):
    """Give consent (and the PIN) to start a visit; person and event links need no selfie."""

    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "GuestSessionInput"

        consent = serializers.BooleanField(default=False)
        pin = serializers.CharField(required=False, allow_blank=True, max_length=32)

    @extend_schema(operation_id="guest_session_start", summary="Give consent and start a visit", request=InputSerializer,
                   responses={201: _SESSION, 200: _SESSION, **errors(403)}, parameters=[_SESSION_HEADER],
                   examples=ex.GUEST_SESSION,
                   description="Consent (and the PIN, if the link has one) starts a visit: 201 with the session "
                   "secret to send as X-Guest-Session, or 200 if one is already running. Person and event links "
                   "need no selfie after this. 403 for a missing or wrong PIN.")
    def post(self, request, token: str):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = self.start_session(consent=data.validated_data["consent"], pin=data.validated_data.get("pin"))
        created = self._new_secret is not None
        body = {"session": self._new_secret, "expires_at": session.expires_at}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SelfieUploadHandler(SizeLimitedUploadHandler):
    """Stops spooling a selfie past VISAGE_SELFIE_MAX_BYTES (not the 300 MB photo upload limit)."""

    def max_bytes(self) -> int:
        return conf.selfie_max_bytes()


class GuestSearchApi(GuestApi):
    parser_classes = [MultiPartParser, FormParser]
    upload_handler_class = SelfieUploadHandler

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "GuestSearchInput"

        consent = serializers.BooleanField(default=False)
        pin = serializers.CharField(required=False, allow_blank=True, max_length=32)
        face = serializers.IntegerField(required=False, min_value=0, max_value=99)

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "required": ["selfie", "consent"], "properties": {
            "selfie": {"type": "string", "format": "binary"}, "consent": {"type": "boolean"}, "pin": {"type": "string"},
            "face": {"type": "integer", "description": "Which of the selfie's faces is you (an index from `faces`)."}}}},
        responses={200: inline_serializer("GuestSearchOutput", {
            "matches": GuestPhotoSerializer(many=True), "note": serializers.CharField(),
            "faces": serializers.ListField(child=serializers.DictField()), "face": serializers.IntegerField(),
            "session": serializers.CharField(allow_null=True),
            "notify_token": serializers.CharField(allow_null=True, help_text=(
                "Send it to /notify to be told about new photos of you (this search's face, encrypted; the server "
                "keeps no copy). Null where the event does not offer it."))}), **errors(400, 403, 413)},
        operation_id="guest_search", summary="Find your photos with a selfie", examples=ex.GUEST_SEARCH,
        parameters=[_SESSION_HEADER],
        description="Multipart `selfie` with `consent=true` (and `pin` if needed). The selfie is analysed and "
                    "discarded, never stored. Matches carry a confidence in percent. With several faces, `faces` "
                    "lists them (best query face first) and `face` says which was searched; send the selfie again "
                    "with `face` to search as another one. Rate-limited per link and client (429).",
    )
    def post(self, request, token: str):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        guest_search_throttle(link=self.guest.link, client=self.guest.client)
        session = self.start_session(consent=data.validated_data["consent"], pin=data.validated_data.get("pin"))
        outcome = guest_search(session=session, selfie=request.FILES.get("selfie"), face=data.validated_data.get("face"))
        matches = [photo_payload(token, self.guest.link, photo_id, conf) for photo_id, conf in outcome.matches]
        return Response({"matches": matches, "note": outcome.note, "faces": outcome.faces, "face": outcome.face,
                         "session": self._new_secret,
                         "notify_token": notify_offer(session=session, embedding=outcome.embedding)})


class GuestPhotoListApi(GuestApi):
    @extend_schema(operation_id="guest_photos_list", summary="List your photos",
                   responses={200: inline_serializer("GuestPhotoList", {"photos": GuestPhotoSerializer(many=True)}),
                              **errors(403)}, examples=ex.GUEST_PHOTOS,
                   description="The photos of this visit: your matches (selfie links) or the person's or event's "
                   "photos. 403 until a visit is started.")
    def get(self, request, token: str):
        photos = selectors.guest_photo_list(session=self.require_session())
        return Response({"photos": [photo_payload(token, self.guest.link, p.photo.id, p.confidence) for p in photos]})


class GuestPhotoFileApi(GuestApi):
    kind = "preview"
    openapi_operation_id = staticmethod(lambda view: f"guest_photos_{view.kind}")

    @extend_schema(summary="Get one of your photos",  # operationId: guest_photos_preview / guest_photos_original
                   responses={(200, "image/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The photo: a JPEG "
                                                                 "preview, or the original in its own type"),
                              302: None, **errors(403)}, examples=ex.GUEST_FILE,
                   description="preview: a JPEG preview (watermarked if the link says so); original: the exact "
                   "uploaded file, when the link allows originals. Photos outside your visit are a 404.")
    def get(self, request, token: str, photo_id: int):
        photo = selectors.guest_photo_get(session=self.require_session(), photo_id=photo_id)
        if self.kind == "original":
            return downloads.original_download_response(link=self.guest.link, photo=photo)
        return downloads.preview_response(link=self.guest.link, photo=photo)


class GuestZipApi(GuestApi):
    @extend_schema(operation_id="guest_download_zip", summary="Download all your photos",
                   responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="Streamed zip"),
                              **errors(403)}, examples=ex.GUEST_FILE,
                   description="Every photo of your visit in one streamed zip (originals or previews, as the link "
                   "allows).")
    def get(self, request, token: str):
        photos = [item.photo for item in selectors.guest_photo_list(session=self.require_session())]
        return downloads.zip_response(link=self.guest.link, photos=photos)
