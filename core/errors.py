"""Domain errors: a stable code and a message a person can act on, never an HTTP detail.

Apps subclass DomainError (sharing.errors.GuestError, …); core.api.exception_handler turns
every one of them, and every DRF and Django error, into the API's single error shape.
"""


class DomainError(Exception):
    status = 400
    code = "bad_request"
    message = "Something is not right with this request."

    def __init__(self, message: str | None = None, *, retry_after: int | None = None, details=None):
        self.message = message or self.message
        self.retry_after = retry_after
        self.details = details
        super().__init__(self.message)


def error_body(code: str, message: str, details=None) -> dict:
    """The one error shape of the whole API."""
    return {"error": {"code": code, "message": message, "details": details}}


class InvalidRequest(DomainError):
    """A request the domain refuses although every field is well formed (merge a person with no one,
    a person link without a person). Answered exactly like a serializer's non-field error: code
    `invalid`, the sentence as `message`, and as `details` (docs/api.md: details hold the errors for
    `invalid`), so clients see one shape for every 400 they can fix."""

    status, code = 400, "invalid"
    message = "The request is not valid."

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message, **kwargs)
        if self.details is None:
            self.details = [self.message]
