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
