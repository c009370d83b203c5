"""core/api_keys.py as a table: every API-key scope × every route of the resolver.

The routes are read from django.urls.get_resolver(), not from a list kept by hand, so a new route
is in the table the day it is added. For each route and method a key of each scope is either
allowed (the request gets past the scope check: what follows is the route's own business, here a
404 for an object that does not exist) or refused (403, saying the key's scope does not allow it).
Routes where a key is no credential at all (pages, guest links, sign-in, the schema) answer a key
exactly as they answer nobody.

What the scopes allow, as the API docs promise it:
- read:   every read; no write.
- upload: every read; creating events and uploading photos, nothing else.
- full:   everything, except what no key may do (below).
- no key, whatever its scope, manages API keys or turns itself into a user token.
"""
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.permissions import SAFE_METHODS
from rest_framework.test import APIClient

from core.api_keys import ApiKeyAuthentication, ApiKeyScopePermission
from core.tenancy.api_keys import api_key_create
from core.tenancy.models import Role
from tests.factories import MembershipFactory

SCOPES = ("read", "upload", "full")
UPLOAD_KEY_WRITES = {("POST", "api:event-list"), ("POST", "api:event-photos")}
NO_KEY_ROUTES = {"api:studio-api-keys", "api:studio-api-key-detail", "api:auth-token-rotate",
                 "api:studio-members", "api:studio-member-detail"}  # keys never manage people
ADMIN_NAMESPACE = "admin"  # Django's admin: staff sessions only, none of our routes
PLACEHOLDERS = {"id": 987654321, "string": "no-such-thing", "uuid": uuid.UUID(int=7), "path": "x", "slug": "x"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _routes(patterns=None, namespace="", converters=None):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        found = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, (namespace, entry.namespace)))
            if inner != ADMIN_NAMESPACE:
                yield from _routes(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join(filter(None, (namespace, entry.name))), entry.callback, found


def _view_class(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _methods(callback) -> list[str]:
    view = _view_class(callback)
    if view is None:
        return ["GET"]  # a function view: what a key would try first
    return [method for method in METHODS if hasattr(view, method.lower())]


def _key_checked(callback) -> bool:
    """A DRF view that takes API keys and holds them to their scope."""
    view = _view_class(callback)
    return (view is not None and ApiKeyAuthentication in getattr(view, "authentication_classes", ())
            and ApiKeyScopePermission in getattr(view, "permission_classes", ()))


def _url(name: str, converters: dict) -> str:
    kwargs = {arg: PLACEHOLDERS[type(conv).__name__.removesuffix("Converter").lower()]
              for arg, conv in converters.items()}
    return reverse(name, kwargs=kwargs)


ROUTES = [(method, name, callback, converters) for name, callback, converters in _routes()
          for method in _methods(callback)]
KEYED = [pytest.param(method, name, converters, id=f"{method} {name}") for method, name, callback, converters in ROUTES
         if _key_checked(callback)]
KEYLESS = [pytest.param(method, name, converters, id=f"{method} {name}")
           for method, name, callback, converters in ROUTES if not _key_checked(callback)]


def scope_allows(scope: str, method: str, name: str) -> bool:
    """The spec above, route by route."""
    if name in NO_KEY_ROUTES:
        return False
    if method in SAFE_METHODS:
        return True
    return scope == "full" or (scope == "upload" and (method, name) in UPLOAD_KEY_WRITES)


def _keys() -> dict[str, APIClient]:
    owner = MembershipFactory(role=Role.OWNER)
    clients = {}
    for scope in SCOPES:
        client = APIClient()
        key = api_key_create(studio=owner.studio, name=f"{scope} key", scope=scope, created_by=owner.user).key
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        clients[scope] = client
    return clients


def _send(client: APIClient, method: str, url: str):
    return getattr(client, method.lower())(url, {}, format="json")


def test_the_table_sees_the_whole_api():
    names = {param.values[1] for param in KEYED}
    assert len(KEYED) > 50 and {"api:event-detail", "api:person-merge", "api:studio-webhooks"} <= names
    assert names >= NO_KEY_ROUTES and {name for _, name in UPLOAD_KEY_WRITES} <= names  # no stale rows


@pytest.mark.parametrize("method, name, converters", KEYED)
def test_each_scope_is_allowed_or_refused_on_each_route(db, method, name, converters):
    url, answers, expected = _url(name, converters), {}, {}
    for scope, client in _keys().items():
        response = _send(client, method, url)
        refused = response.status_code == 403 and "API key" in response.json()["error"]["message"]
        answers[scope], expected[scope] = ("refused" if refused else "allowed"), (
            "allowed" if scope_allows(scope, method, name) else "refused")
    assert answers == expected


@pytest.mark.parametrize("method, name, converters", KEYLESS)
def test_where_a_key_is_no_credential_it_opens_nothing(db, method, name, converters):
    url = _url(name, converters)
    anonymous = _send(APIClient(), method, url).status_code
    assert {scope: _send(client, method, url).status_code for scope, client in _keys().items()} == dict.fromkeys(
        SCOPES, anonymous)
