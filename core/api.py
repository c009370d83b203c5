"""API plumbing shared by every app: the tenant-scoping guard, the studio base view, token login.

Tenant isolation must not be a convention a new view can forget. Every view that reaches tenant
data derives from ScopedApi, whose `initial` always runs the base's `resolve_scope`; an endpoint
class that overrides `initial`, `resolve_scope`, `get_queryset` or `get_object` is refused at
import time. Only the few base classes that *define* a scope (StudioApi here, EventApi and friends
in events.api, GuestApi in sharing) say so with `dangerously_defines_scope = True`. Views that
touch no tenant data carry `@public("why")`. tests/test_isolation.py walks every route and fails
on any view that is neither.
"""
from datetime import timedelta

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import conf
from core.authentication import token_issue
from core.errors import DomainError
from core.idempotency import Replay, idempotency_begin, idempotency_finish
from core.logins import login_attempt
from core.schema import errors
from core.tenancy.models import Membership, Studio
from core.tenancy.selectors import membership_for_request


_TOKEN = inline_serializer("Token", {
    "token": serializers.CharField(help_text="Send as `Authorization: Token <token>`."),
    "expires_at": serializers.DateTimeField(help_text="After this, sign in again (or rotate before).")})
_TOKEN_EXAMPLE = OpenApiExample("Token", response_only=True, value={
    "token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "expires_at": "2026-07-21T09:12:03Z"})


_GUARDED = ("initial", "resolve_scope", "get_queryset", "get_object")


class ScopedApi(APIView):
    """Base of every endpoint that reads or writes tenant data (see the module's docstring)."""

    dangerously_defines_scope = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("dangerously_defines_scope"):
            return
        overridden = [name for name in _GUARDED if name in cls.__dict__]
        if overridden:
            raise TypeError(
                f"{cls.__module__}.{cls.__qualname__} overrides {', '.join(overridden)}: tenant scoping "
                "belongs to the base classes; look objects up inside self.studio / self.event instead")

    idempotency_record = None
    # Answer fields holding a secret shown once (core.idempotency never keeps such an answer).
    idempotency_secrets: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        self.resolve_scope(request, **kwargs)
        # After scoping, so a replay answers only whoever may still make the request, in that studio.
        self.idempotency_record = idempotency_begin(request, studio_id=self.scope_studio_id())

    def resolve_scope(self, request, **kwargs) -> None:
        raise NotImplementedError

    def scope_studio_id(self) -> int | None:
        """The studio the request acts in, once resolve_scope ran (None: no studio, e.g. a guest)."""
        return None

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.idempotency_record is not None:
            idempotency_finish(self.idempotency_record, response, secrets=self.idempotency_secrets)
            self.idempotency_record = None
        return response


def public(reason: str):
    """Mark a view (function or class) that touches no tenant data; the reason is for reviewers."""
    if not reason.strip():
        raise ValueError("say why this view may be reached without a tenant scope")

    def mark(view):
        view.visage_public = reason
        return view
    return mark


def dangerously_unscoped(reason: str):
    """Mark a view that reaches tenant data through its own credential (a signed link), not a
    tenant scope. Rare: each one is a place to review."""
    mark = public(reason)

    def unscoped(view):
        view = mark(view)
        view.visage_unscoped = True
        return view
    return unscoped


def view_scope(callback) -> str | None:
    """'scoped', 'public', 'dangerously-unscoped' or None for a URL callback (a function or an as_view() wrapper)."""
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    if isinstance(view, type) and issubclass(view, ScopedApi):
        return "scoped"
    if getattr(callback, "visage_scope", None) or getattr(view, "visage_scope", None):
        return "scoped"
    if getattr(callback, "visage_unscoped", None) or getattr(view, "visage_unscoped", None):
        return "dangerously-unscoped"
    if getattr(callback, "visage_public", None) or getattr(view, "visage_public", None):
        return "public"
    return None


class StudioApi(ScopedApi):
    """Base for every tenant-owned endpoint: sets self.studio from the caller's membership.

    The studio never comes from the request body; another studio's objects are 404 because
    every lookup goes through a selector that takes `studio=self.studio`.
    """

    studio: Studio | None
    membership: Membership | None
    studio_required = True
    dangerously_defines_scope = True

    def resolve_scope(self, request, **kwargs) -> None:
        membership = membership_for_request(user=request.user, studio_slug=request.headers.get("X-Studio"))
        if membership is None and self.studio_required:
            raise NotFound("No studio found for this account.")
        self.membership, self.studio = membership, membership.studio if membership else None

    def scope_studio_id(self) -> int | None:
        return self.studio.id if self.studio else None

    def require_writer(self) -> None:
        if self.membership is None:
            raise NotFound("No studio found for this account.")
        if not self.membership.can_write:
            raise PermissionDenied(f"Your role in this studio ({self.membership.role}) is read-only.")


@public("sign-in: answers only for the credentials given, throttled")
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

    @extend_schema(operation_id="auth_token_create", summary="Get an API token", request=InputSerializer,
                   responses={200: _TOKEN, **errors(429)}, examples=[
                       OpenApiExample("Sign in", request_only=True,
                                      value={"email": "studio@example.com", "password": "correct horse battery"}),
                       _TOKEN_EXAMPLE],
                   description="Exchanges an email (or username) and password for the account's token, valid "
                   "30 days. Wrong credentials are a 400 (`wrong_credentials`); repeated failures per account "
                   "and per client are a 429 with Retry-After.")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data.get("email") or data.validated_data["username"]
        user = login_attempt(request=request._request, email=email, password=data.validated_data["password"])
        if user is None:
            raise WrongCredentials()
        return Response(_token_body(token_issue(user=user)))


@public("acts on the signed-in user's own token only")
class TokenRotateApi(APIView):
    """POST (signed in) → a new token; the one used so far stops working at once."""

    @extend_schema(operation_id="auth_token_rotate", summary="Replace your API token", request=None,
                   responses={200: _TOKEN}, examples=[_TOKEN_EXAMPLE],
                   description="Issues a new token; the one used so far stops working at once.")
    def post(self, request):
        return Response(_token_body(token_issue(user=request.user, rotate=True)))


class WrongCredentials(DomainError):
    status, code = 400, "wrong_credentials"
    message = "Wrong email or password."


def _token_body(token) -> dict:
    lifetime = timedelta(seconds=conf.api().api_token_seconds)
    return {"token": token.key, "expires_at": token.created + lifetime}
