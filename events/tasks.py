"""Ingest tasks: thin wrappers that look the photo up by id and call the service."""
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from events.derivatives import photo_derivatives_make
from events.models import Photo, PhotoState
from events.processing import TRANSIENT_ERRORS, photo_claim, photo_fail

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, soft_time_limit=120, time_limit=180)
def photo_make_derivatives(self, photo_id: int) -> None:
    """Previews first (the gallery shows them at once), then hand the photo to face detection."""
    photo = photo_claim(photo_id=photo_id)
    if photo is None:
        return
    try:
        photo_derivatives_make(
            photo=photo, preview_side=settings.VISAGE_PREVIEW_LONG_SIDE, thumbnail_side=settings.VISAGE_THUMBNAIL_LONG_SIDE
        )
    except TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries))
    except SoftTimeLimitExceeded:
        photo_fail(photo_id=photo_id, reason="making the preview took too long")
        return
    except Exception as exc:  # a bad original: record why, never retry
        logger.warning("photo %s: preview failed: %s", photo_id, exc)
        photo_fail(photo_id=photo_id, reason=f"could not make a preview: {exc}")
        return
    _queue_face_detection(photo_id)


def _queue_face_detection(photo_id: int) -> None:
    from recognition.tasks import photo_detect_faces

    if Photo.objects.filter(id=photo_id, state=PhotoState.PROCESSING).exists():
        photo_detect_faces.delay(photo_id)
