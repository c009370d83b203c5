"""Recognition tasks (filled in by the recognition work): faces of one photo, then done."""
from celery import shared_task

from events.processing import photo_done


@shared_task(acks_late=True, reject_on_worker_lost=True)
def photo_detect_faces(photo_id: int) -> None:
    photo_done(photo_id=photo_id)
