"""API plumbing shared by every app: the tenant-scoping guard and the studio base view.

Tenant isolation must not be a convention a new view can forget. Every view that reaches tenant
data derives from ScopedApi, whose `initial` always runs the base's `resolve_scope`; an endpoint
class that overrides `initial`, `resolve_scope`, `get_queryset`, `get_object`, `get_permissions` or
`get_authenticators` is refused at import time. Only the few base classes that *define* a scope
(StudioApi here, EventApi and friends in events.api, GuestApi in sharing) say so with
`dangerously_defines_scope = True`; `scope_definers()` lists them and a test holds them to an
allowlist. Views that touch no tenant data carry `@public("why")`. tests/test_isolation.py walks
every route and fails on any view that is neither.

No endpoint here: core.openapi (the schema generator, which @extend_schema loads) imports this
module, so the sign-in endpoints live in core.token_apis.
"""
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.views import APIView

from core.access import membership_can
from core.idempotency import Replay, idempotency_begin, idempotency_finish
from core.tenancy.models import Membership, Studio
from core.tenancy.selectors import membership_for_request


# What an endpoint class may not override: the scope, and who gets in (PostHog's routing guards both
# get_permissions and get_authenticators: a view that swaps them can let anyone past the scope).
_GUARDED = ("initial", "resolve_scope", "get_queryset", "get_object", "get_permissions", "get_authenticators")


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


def scope_definers() -> set[str]:
    """Every ScopedApi subclass (imported so far) that declares `dangerously_defines_scope` itself."""
    found, pending = set(), [ScopedApi]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__dict__.get("dangerously_defines_scope"):
            found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


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
        if not membership_can(self.membership, "create_event"):
            raise PermissionDenied(f"Your role in this studio ({self.membership.role}) is read-only.")
