"""OpenAPI pieces shared by every app: the one error shape (core.errors.error_body), the error
statuses every operation can answer, the X-Studio header, tags and the security schemes.

Each operation still says what is its own by hand (summary, description, examples, specific
errors such as 409 or 503); VisageAutoSchema adds what follows from the view's class alone, so
a new view cannot forget its 401, its 404 or the X-Studio header.
"""
import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

ERROR_SCHEMA = inline_serializer("Error", {"error": inline_serializer("ErrorBody", {
    "code": serializers.CharField(help_text="Stable, machine-readable code, e.g. pin_locked."),
    "message": serializers.CharField(help_text="A sentence a person can act on."),
    "details": serializers.JSONField(allow_null=True, help_text="Field errors for code=invalid; else null."),
})})

# status → (when it happens, an example code, its message) for the generic error responses.
_ERRORS = {
    400: ("The request is not valid: `details` holds the errors per field.", "invalid", "name: This field is required."),
    401: ("No credentials, or the token or API key is wrong, expired or revoked.", "not_authenticated",
          "Authentication credentials were not provided."),
    403: ("Your role does not allow this (e.g. a read-only viewer or API key), or a browser session lacks "
          "its CSRF token.", "permission_denied", "Your role on this event (viewer) does not allow this (upload)."),
    404: ("Not found, or not yours: another studio's object answers exactly like a missing one.", "not_found",
          "Not found."),
    409: ("The object is not in a state that allows this, or a request with the same Idempotency-Key is still "
          "running.", "request_in_progress", "A request with this Idempotency-Key is still running. Retry in a "
          "moment to get its answer."),
    410: ("The link was revoked, has expired or was used up.", "link_revoked", "This link has been switched off by the organizer."),
    413: ("The request body is too large.", "request_too_large", "The request body is too large."),
    422: ("This Idempotency-Key was already used for another request (another path or body).",
          "idempotency_key_reused", "This Idempotency-Key was already used for a different request (another "
          "path or body). Use a new key."),
    415: ("The body's Content-Type is not one this operation accepts.", "unsupported_media_type",
           'Unsupported media type "text/plain" in request.'),
    429: ("Too many requests: wait for the Retry-After header's seconds.", "rate_limited",
          "Too many attempts. Please wait and try again."),
    503: ("A backing service is down; nothing was changed and a retry is safe.", "storage_unavailable",
          "Object storage is unavailable; retry the upload in a moment."),
}


def error_example(status: int, code: str, message: str, details=None) -> OpenApiExample:
    """An example error body for one status (add it to an operation's `examples`)."""
    return OpenApiExample(f"{code} ({status})", value={"error": {"code": code, "message": message, "details": details}},
                          status_codes=[str(status)], response_only=True)


def error_response(status: int, description: str | None = None) -> OpenApiResponse:
    text, code, message = _ERRORS[status]
    return OpenApiResponse(ERROR_SCHEMA, description=description or text,
                           examples=[error_example(status, code, message)])


def errors(*statuses: int) -> dict:
    """`responses={**errors(409, 503), 200: …}`: the one error body for each status."""
    return {status: error_response(status) for status in statuses}


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
        from core.api import StudioApi  # core.api imports ERROR_SCHEMA from here
        from core.idempotency import IDEMPOTENCY_PARAMETER

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
        from core.api import ScopedApi

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
        from core.api import StudioApi

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
