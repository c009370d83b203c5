"""OpenAPI pieces the endpoints declare: the one error shape (core.errors.error_body) and the error
responses an operation lists by hand (`responses={**errors(409)}`).

What follows from a view's class alone (its 401/404, the X-Studio header, tags, the security
schemes) is added by core.openapi.VisageAutoSchema, which imports the API bases; this module
imports none, so core.api can use it without a cycle.
"""
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

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
