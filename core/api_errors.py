"""The API's one exception handler: every error, one shape (core.errors.error_body)."""
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core import conf, ratelimit
from core.errors import DomainError, error_body

logger = logging.getLogger(__name__)

_DRF_CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
}


def exception_handler(exc, context):
    """Every error of the API in one shape: {"error": {"code", "message", "details"}}.

    Domain errors carry their own code; DRF's and Django's are mapped here; anything else is
    logged and answered as a plain 500 in the same shape (never a debug page or a trace).
    """
    set_rollback()
    if isinstance(exc, DomainError):
        return _error_response(exc.status, exc.code, exc.message, exc.details, retry_after=exc.retry_after)
    if isinstance(exc, ratelimit.Throttled):
        return _error_response(429, "rate_limited", "Too many attempts. Please wait and try again.",
                               retry_after=exc.retry_after)
    if isinstance(exc, SuspiciousOperation):
        # Raised while authenticating (the session's CSRF check reads the form) it leaves no user, and an
        # HTML renderer's context would authenticate again, raise again, and make it a 500.
        context["request"].user = AnonymousUser()
        return _error_response(*request_refusal(exc))
    if isinstance(exc, Http404):
        return _error_response(404, "not_found", str(exc) or "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return _error_response(403, "permission_denied", str(exc) or "You may not do this.")
    if isinstance(exc, exceptions.ValidationError):
        return _error_response(400, "invalid", _first_message(exc.detail) or "The request is not valid.", exc.detail)
    if isinstance(exc, exceptions.APIException):
        code = next((code for cls, code in _DRF_CODES.items() if isinstance(exc, cls)), exc.default_code)
        retry = getattr(exc, "wait", None)
        response = _error_response(exc.status_code, code, str(exc.detail), retry_after=int(retry) + 1 if retry else None)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        return response
    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__, exc_info=exc)
    return _error_response(500, "server_error", "Something went wrong on our side. Please try again later.")


def request_refusal(exc: SuspiciousOperation) -> tuple[int, str, str]:
    """(status, code, message) for a request Django would not read: too many files or fields, too
    large, or otherwise suspicious. The API's handler and the site's 400 page both answer with it."""
    if isinstance(exc, TooManyFilesSent):
        limit = conf.api().max_files_per_request
        return 400, "too_many_files", f"Too many files in one request (the limit is {limit}). Nothing was stored; send smaller batches."
    if isinstance(exc, TooManyFieldsSent):
        return 400, "too_many_fields", f"Too many fields in one form (the limit is {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,})."
    if isinstance(exc, RequestDataTooBig):
        return 413, "request_too_large", "The request body is too large."
    return 400, "malformed_request", "The request could not be read."


def _error_response(status_code: int, code: str, message: str, details=None, *, retry_after: int | None = None) -> Response:
    response = Response(error_body(code, message, details), status=status_code)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _first_message(detail) -> str:
    """The first human sentence in a DRF error structure (a string, a list, or a dict of them)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            message = _first_message(value)
            if message:
                return message if key == "non_field_errors" else f"{key}: {message}"
        return ""
    if isinstance(detail, (list, tuple)):
        return next((m for m in (_first_message(item) for item in detail) if m), "")
    return str(detail)
