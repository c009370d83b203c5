"""The schema generator (settings REST_FRAMEWORK DEFAULT_SCHEMA_CLASS) and the security schemes.

Each operation still says what is its own by hand (summary, description, examples, specific
errors such as 409 or 503, with core.schema's `errors`); VisageAutoSchema adds what follows from
the view's class alone, so a new view cannot forget its 401, its 404 or the X-Studio header.
"""
import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from core.api import ScopedApi, StudioApi
from core.idempotency import IDEMPOTENCY_PARAMETER
from core.schema import error_response

_BODY_METHODS = ("POST", "PUT", "PATCH")
STUDIO_HEADER = OpenApiParameter(
    "X-Studio", str, OpenApiParameter.HEADER, required=False,
    description="The slug of the studio to act in, for accounts that belong to several; without it, the studio "
                "the account joined first. It only chooses among your own studios: an unknown slug is a 404.")

# Path (after /api/v1) → tag; the first match wins.
_TAGS = [
    (r"^/auth/", "auth"), (r"^/events/\{event_id\}/(people)", "people"), (r"^/(people|faces|albums)/", "people"),
    (r"^/events/\{event_id\}/photos/", "photos"), (r"^/photos/", "photos"),
    (r"^/events/\{event_id\}/share-links/", "share-links"), (r"^/events/\{event_id\}/organizers/", "organizers"),
    (r"^/events/\{event_id\}/removal-requests/", "removal-requests"), (r"^/events/", "events"),
    (r"^/studio/api-keys/", "api-keys"), (r"^/studio/webhooks/", "webhooks"), (r"^/studio/", "studio"),
    (r"^/guest/", "guest"),
]


class VisageAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus what every operation owes a client developer:

    - its error responses, each with the one error body: 400/413/415 where a body is parsed,
      401 where a login is required, 403 where a role (or CSRF) can refuse, 404 where a path id
      or a studio is looked up, plus the view's own `openapi_errors` (e.g. a guest link's 410);
    - the X-Studio header on every operation scoped by the caller's studio (core.api.StudioApi), and
      Idempotency-Key (with its 409 and 422) on every authenticated POST (core.idempotency);
    - a tag from its path, and no view docstring leaking in as a description (write one).
    """

    def get_description(self) -> str:
        return ""  # docstrings are for maintainers; each operation sets its own description

    def map_parsers(self) -> list[str]:
        """JSON bodies are documented as JSON only: the form encodings the parsers also accept would make
        generators build a three-way union body per operation (and send it as multipart)."""
        media_types = super().map_parsers()
        return ["application/json"] if "application/json" in media_types else media_types

    def get_operation_id(self) -> str:
        """A view routed twice with different as_view() arguments names each route's operation itself
        (`openapi_operation_id`, a function of the view instance), e.g. photos_preview / photos_thumbnail."""
        named = getattr(self.view, "openapi_operation_id", None)
        return named(self.view) if named else super().get_operation_id()

    def get_tags(self) -> list[str]:
        path = self.path.removeprefix("/api/v1")
        return [next((tag for pattern, tag in _TAGS if re.search(pattern, path)), "other")]

    def get_override_parameters(self) -> list:
        return [*super().get_override_parameters(), *([STUDIO_HEADER] if isinstance(self.view, StudioApi) else []),
                *([IDEMPOTENCY_PARAMETER] if self._idempotent() else [])]

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "429":
            headers.setdefault("Retry-After", {"schema": {"type": "integer"}, "description": "Seconds to wait."})
        if str(status_code).startswith("2") and self._idempotent():
            headers.setdefault("Idempotent-Replayed", {"schema": {"type": "string", "enum": ["true"]},
                                                       "description": "Present on a replayed answer."})
        return headers

    def _idempotent(self) -> bool:
        """core.idempotency applies to authenticated POSTs on the scoped views (ScopedApi.initial)."""
        return self.method == "POST" and isinstance(self.view, ScopedApi) and self._requires_login()

    def _requires_login(self) -> bool:
        return any(isinstance(permission, IsAuthenticated) for permission in self.view.get_permissions())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(error_response(status), str(status), direction=direction)
        return responses

    def error_statuses(self) -> set[int]:
        statuses = set(getattr(self.view, "openapi_errors", ()))
        if self.method in _BODY_METHODS and self.get_request_serializer() is not None:
            statuses |= {400, 413, 415}
        if self._idempotent():
            statuses |= {400, 409, 422}  # a malformed key; the same key still running; reused for another request
        if self._requires_login():
            statuses.add(401)
            if self.method in _BODY_METHODS + ("DELETE",) and any(
                    isinstance(auth, SessionAuthentication) for auth in self.view.get_authenticators()):
                statuses.add(403)  # CSRF for browser sessions, and the role checks below
        if self._required_action() not in (None, "view") or (isinstance(self.view, StudioApi) and self.method != "GET"):
            statuses.add(403)
        if "{" in self.path or isinstance(self.view, StudioApi) or self._get_paginator() and self._is_list_view():
            statuses.add(404)
        return statuses

    def _required_action(self) -> str | None:
        """The role action an event-scoped view (events.api.EventApi) checks for this method."""
        if not hasattr(self.view, "required"):
            return None
        return self.view.required_by_method.get(self.method, self.view.required)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "core.api_keys.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "A studio API key: `Authorization: Api-Key <key>`. It acts in its own studio only, "
                               "within its scope (read, upload or full)."}


class UserTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "A user's token from POST /api/v1/auth/token/: `Authorization: Token <key>`. It "
                               "expires after 30 days or when the password changes."}
