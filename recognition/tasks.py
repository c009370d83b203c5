"""Recognition tasks: thin wrappers that look up by id and call the services."""
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from events.models import Photo, PhotoState
from events.processing import TRANSIENT_ERRORS, photo_fail
from recognition.ml.images import ImageDecodeError
from recognition.ml.pipeline import get_pipeline
from recognition.services.faces import photo_faces_detect, photo_faces_replace

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3, soft_time_limit=240, time_limit=300)
def photo_detect_faces(self, photo_id: int) -> None:
    """Detect, embed, encrypt and store a photo's faces; GPU when torch sees one."""
    photo = Photo.objects.select_related("event").filter(id=photo_id, state=PhotoState.PROCESSING).first()
    if photo is None:  # already done (redelivery) or deleted
        return
    pipeline = get_pipeline()
    try:
        faces = photo_faces_detect(photo=photo, pipeline=pipeline)
    except ImageDecodeError as exc:
        photo_fail(photo_id=photo_id, reason=f"cannot read the image for face detection: {exc.reason}")
        return
    except TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries))
    except SoftTimeLimitExceeded:
        photo_fail(photo_id=photo_id, reason="face detection took too long")
        return
    photo_faces_replace(photo=photo, faces=faces, embedder=pipeline.embedder)
    logger.info("photo %s: %d face(s)", photo_id, len(faces))
