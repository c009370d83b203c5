"""Transient errors: the infrastructure's fault (storage, database away), never the photo's.

Uploads answer 503 for these (nothing of the file is stored); the ingest engine sends the photo
back to wait out a backoff without spending an attempt (recognition/ingest/retries.py).
"""
from django.db import InterfaceError, OperationalError

try:  # network/storage hiccups
    from botocore.exceptions import ClientError, ConnectionError as BotoConnectionError, HTTPClientError

    TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError, BotoConnectionError,
                                                         HTTPClientError)
except ImportError:  # pragma: no cover - boto3 is in base requirements
    ClientError = None
    TRANSIENT_ERRORS = (ConnectionError, TimeoutError)

# S3 answers that mean "not now" (botocore already retried them a few times).
_S3_BUSY_CODES = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "Throttling"}


def is_transient(exc: BaseException) -> bool:
    """Storage unreachable or busy, or the database connection lost: worth retrying later."""
    if isinstance(exc, (*TRANSIENT_ERRORS, OperationalError, InterfaceError)):
        return True
    if ClientError is not None and isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or error.get("Code") in _S3_BUSY_CODES
    return False
