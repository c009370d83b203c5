"""Photo processing state transitions, shared by the ingest and recognition tasks."""
from django.utils import timezone

from events.models import Photo, PhotoState

try:  # network/storage hiccups worth a retry; everything else is the photo's own fault
    from botocore.exceptions import ConnectionError as BotoConnectionError, EndpointConnectionError

    TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError, BotoConnectionError, EndpointConnectionError)
except ImportError:  # pragma: no cover - boto3 is in base requirements
    TRANSIENT_ERRORS = (ConnectionError, TimeoutError)


def photo_claim(*, photo_id: int) -> Photo | None:
    """Move queued → processing with a conditional UPDATE; a redelivered message finds it processing."""
    Photo.objects.filter(id=photo_id, state=PhotoState.QUEUED).update(state=PhotoState.PROCESSING)
    return Photo.objects.filter(id=photo_id, state=PhotoState.PROCESSING).first()


def photo_fail(*, photo_id: int, reason: str) -> None:
    Photo.objects.filter(id=photo_id).update(
        state=PhotoState.FAILED, failure_reason=reason[:2000], processed_at=timezone.now()
    )


def photo_done(*, photo_id: int) -> None:
    Photo.objects.filter(id=photo_id).update(state=PhotoState.DONE, failure_reason="", processed_at=timezone.now())
