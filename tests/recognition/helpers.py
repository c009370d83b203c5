"""Run real photos through upload + the real recognition task, as a worker would."""
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import PhotoState
from events.services import event_create, photos_upload
from events.tasks import photo_make_derivatives
from recognition.models import Face
from tests.factories import FACES_DIR


def detect_into_event(studio, user, relative_paths, pipeline, event=None) -> list[Face]:
    """Upload files from shared/data/faces into an event and process them synchronously."""
    event = event or event_create(studio=studio, user=user, name="Recognition test")
    files = [SimpleUploadedFile((FACES_DIR / p).name, (FACES_DIR / p).read_bytes()) for p in relative_paths]
    outcomes = photos_upload(event=event, user=user, files=files)
    for outcome in outcomes:
        assert outcome.status == "created", outcome.reason
        photo_make_derivatives.delay(outcome.photo.id)
        outcome.photo.refresh_from_db()
        assert outcome.photo.state == PhotoState.DONE, outcome.photo.failure_reason
    return list(Face.objects.filter(event=event).order_by("id"))
