"""Tenant isolation that cannot be forgotten: every route is scoped by a base or says it is public,
and the scoped bases refuse endpoint classes that would bypass them."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.api import ScopedApi, StudioApi, public, view_scope
from events.api import EventApi, PhotoApi

# Django's admin guards every page itself (staff only, admin_view); it holds no endpoint of ours.
ADMIN_NAMESPACE = "admin"


def _routes(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner.strip(":"))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.callback


def test_every_route_is_scoped_or_marked_public():
    unmarked = [route for route, namespace, callback in _routes()
                if namespace.split(":")[0] != ADMIN_NAMESPACE and view_scope(callback) is None]
    assert unmarked == [], "views neither tenant-scoped nor marked @public: " + ", ".join(unmarked)


def test_the_walk_sees_every_api_route():
    routes = {route: view_scope(callback) for route, _, callback in _routes()}
    assert routes["api/v1/events/<id:event_id>/"] == "scoped"
    assert routes["api/v1/photos/<id:photo_id>/original"] == "scoped"
    assert routes["api/v1/guest/<str:token>/search"] == "scoped"
    assert routes["events/<id:event_id>/people/"] == "scoped"  # a page view
    assert routes["api/v1/auth/token/"] == "public"
    assert sum(scope == "scoped" for scope in routes.values()) >= 40


def test_an_unmarked_view_is_caught():
    def forgot(request):  # a new page that reads tenant data with no scope
        return None

    assert view_scope(forgot) is None
    assert view_scope(public("health probe")(lambda request: None)) == "public"


@pytest.mark.parametrize("hook", ["initial", "resolve_scope", "get_queryset", "get_object"])
@pytest.mark.parametrize("base", [StudioApi, EventApi, PhotoApi])
def test_endpoints_may_not_override_the_scoped_lookups(base, hook):
    with pytest.raises(TypeError, match=hook):
        type("SneakyApi", (base,), {hook: lambda self, *args, **kwargs: None})


def test_a_plain_endpoint_is_accepted():
    class FineApi(EventApi):
        def get(self, request, event_id):
            return None

    assert issubclass(FineApi, ScopedApi)


def test_public_needs_a_reason():
    with pytest.raises(ValueError):
        public(" ")
