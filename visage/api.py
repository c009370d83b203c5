"""API plumbing shared by every app: the tenant-scoped base view, errors, token login."""
from django.contrib.auth import authenticate
from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from events.access import EventAccess, event_access_get, photo_access_get
from visage.tenancy.models import Membership, Studio
from visage.tenancy.selectors import membership_for_request


def exception_handler(exc, context):
    if isinstance(exc, TooManyFilesSent):
        limit = settings.VISAGE_MAX_FILES_PER_REQUEST
        detail = f"Too many files in one request (the limit is {limit}). Nothing was stored; send smaller batches."
        return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class StudioApi(APIView):
    """Base for every tenant-owned endpoint: sets self.studio from the caller's membership.

    The studio never comes from the request body; another studio's objects are 404 because
    every lookup goes through a selector that takes `studio=self.studio`.
    """

    studio: Studio | None
    membership: Membership | None
    studio_required = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        membership = membership_for_request(user=request.user, studio_slug=request.headers.get("X-Studio"))
        if membership is None and self.studio_required:
            raise NotFound("No studio found for this account.")
        self.membership, self.studio = membership, membership.studio if membership else None

    def require_writer(self) -> None:
        if self.membership is None:
            raise NotFound("No studio found for this account.")
        if not self.membership.can_write:
            raise PermissionDenied(f"Your role in this studio ({self.membership.role}) is read-only.")


class EventApi(APIView):
    """Base for endpoints under /events/{event_id}/: sets self.access (event + caller's role).

    Studio members and the event's organizers get in; everyone else gets a 404.
    """

    access: EventAccess
    required = "view"
    required_by_method: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.access = event_access_get(user=request.user, event_id=kwargs["event_id"])
        self.require(self.required_by_method.get(request.method, self.required))

    @property
    def event(self):
        return self.access.event

    def require(self, action: str) -> None:
        if not self.access.can(action):
            raise PermissionDenied(f"Your role on this event ({self.access.role}) does not allow this ({action}).")


class EventObjectApi(EventApi):
    """EventApi for routes keyed by another object's id (/people/{person_id}/…): that object's
    event decides access, so a stranger's id is a 404 exactly like a missing one."""

    event_object: tuple[type, str]  # (a model with an event_id, the URL kwarg holding its id)

    def initial(self, request, *args, **kwargs):
        model, kwarg = self.event_object
        row = model.objects.filter(id=kwargs[kwarg]).only("event_id").first()
        super().initial(request, *args, **{**kwargs, "event_id": row.event_id if row else 0})


class PhotoApi(EventApi):
    """Like EventApi, for endpoints under /photos/{photo_id}/; sets self.photo."""

    def initial(self, request, *args, **kwargs):
        APIView.initial(self, request, *args, **kwargs)
        self.photo, self.access = photo_access_get(user=request.user, photo_id=kwargs["photo_id"])
        self.require(self.required_by_method.get(request.method, self.required))


class TokenCreateApi(APIView):
    """POST {email|username, password} → {token}."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenCreateInput"

        email = serializers.CharField(required=False)
        username = serializers.CharField(required=False)
        password = serializers.CharField(trim_whitespace=False)

        def validate(self, attrs):
            if not (attrs.get("email") or attrs.get("username")):
                raise serializers.ValidationError("Give your email (or username) and password.")
            return attrs

    @extend_schema(request=InputSerializer, responses=inline_serializer("Token", {"token": serializers.CharField()}))
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = (data.validated_data.get("email") or data.validated_data["username"]).strip().lower()
        user = authenticate(request, email=email, password=data.validated_data["password"])
        if user is None or not user.is_active:
            return Response({"detail": "Wrong email or password."}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
