"""Recognition tasks: thin wrappers that look up by id and call the services."""
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from django.core.cache import cache

from events.models import Event, Photo, PhotoState
from events.processing import TRANSIENT_ERRORS, photo_fail
from recognition.ml.images import ImageDecodeError
from recognition.ml.pipeline import get_pipeline
from recognition.services.faces import photo_faces_detect, photo_faces_replace
from recognition.services.people import event_people_update, event_recluster

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
    queue_people_update(photo.event_id)


PEOPLE_UPDATE_DELAY_S = 5  # let a burst of finished photos share one people update


def queue_people_update(event_id: int) -> None:
    """Debounced: at most one pending people update per event."""
    if cache.add(f"recognition:people-update:{event_id}", 1, timeout=PEOPLE_UPDATE_DELAY_S * 4):
        event_people_update_task.apply_async((event_id,), countdown=PEOPLE_UPDATE_DELAY_S)


@shared_task(name="recognition.tasks.event_people_update", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=600, time_limit=660)
def event_people_update_task(event_id: int) -> None:
    cache.delete(f"recognition:people-update:{event_id}")  # later photos queue a fresh run
    event = Event.objects.filter(id=event_id).first()
    if event is not None:
        logger.info("event %s: people update %s", event_id, event_people_update(event=event))


@shared_task(name="recognition.tasks.event_recluster", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=1200, time_limit=1260)
def event_recluster_task(event_id: int) -> None:
    event = Event.objects.filter(id=event_id).first()
    if event is not None:
        logger.info("event %s: re-cluster %s", event_id, event_recluster(event=event))
