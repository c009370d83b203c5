"""API plumbing shared by every app: the tenant-scoped base view, errors, token login."""
from datetime import timedelta

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events.access import EventAccess, event_access_get, photo_access_get
from visage.api_errors import exception_handler  # noqa: F401  (the REST_FRAMEWORK setting's target)
from visage.authentication import token_issue
from visage.errors import DomainError
from visage.logins import login_attempt
from visage.schema import ERROR_SCHEMA
from visage.tenancy.models import Membership, Studio
from visage.tenancy.selectors import membership_for_request


_TOKEN = inline_serializer("Token", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()})


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
    """POST {email|username, password} → {token, expires_at}; throttled per account and client."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenCreateInput"

        email = serializers.CharField(required=False, max_length=254)
        username = serializers.CharField(required=False, max_length=254)
        password = serializers.CharField(trim_whitespace=False, max_length=1024)

        def validate(self, attrs):
            if not (attrs.get("email") or attrs.get("username")):
                raise serializers.ValidationError("Give your email (or username) and password.")
            return attrs

    @extend_schema(request=InputSerializer, responses={200: _TOKEN, 400: ERROR_SCHEMA, 429: ERROR_SCHEMA})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data.get("email") or data.validated_data["username"]
        user = login_attempt(request=request._request, email=email, password=data.validated_data["password"])
        if user is None:
            raise WrongCredentials()
        return Response(_token_body(token_issue(user=user)))


class TokenRotateApi(APIView):
    """POST (signed in) → a new token; the one used so far stops working at once."""

    @extend_schema(request=None, responses={200: _TOKEN, 401: ERROR_SCHEMA})
    def post(self, request):
        return Response(_token_body(token_issue(user=request.user, rotate=True)))


class WrongCredentials(DomainError):
    status, code = 400, "wrong_credentials"
    message = "Wrong email or password."


def _token_body(token) -> dict:
    lifetime = timedelta(seconds=getattr(settings, "VISAGE_API_TOKEN_SECONDS", 30 * 86400))
    return {"token": token.key, "expires_at": token.created + lifetime}
