"""Run real photos through upload + the real recognition task, as a worker would."""
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import PhotoState
from events.services import event_create, photos_upload
from recognition.ingest.worker import ingest_run_task
from recognition.models import Face
from tests.factories import FACES_DIR


def detect_into_event(studio, user, relative_paths, pipeline, event=None) -> list[Face]:
    """Upload files from shared/data/faces into an event and process them synchronously."""
    event = event or event_create(studio=studio, user=user, name="Recognition test")
    files = [SimpleUploadedFile((FACES_DIR / p).name, (FACES_DIR / p).read_bytes()) for p in relative_paths]
    outcomes = photos_upload(event=event, user=user, files=files)
    ingest_run_task.apply()  # what a woken worker does: the engine, then people updates
    for outcome in outcomes:
        assert outcome.status == "created", outcome.reason
        outcome.photo.refresh_from_db()
        assert outcome.photo.state == PhotoState.DONE, outcome.photo.failure_reason
    return list(Face.objects.filter(event=event).order_by("id"))


_ANALYSED: dict[str, list] = {}


def analysed(relative_path: str, pipeline) -> list:
    """The pipeline's faces for a shared/data photo, computed once per test session."""
    if relative_path not in _ANALYSED:
        _ANALYSED[relative_path] = pipeline.analyze(FACES_DIR / relative_path)
    return _ANALYSED[relative_path]


def event_with_faces(studio, user, relative_paths, pipeline, *, people: bool = True):
    """Upload real photos and store their (cached) faces as the worker would; then form people."""
    from events.models import Photo
    from recognition.services.faces import photo_faces_replace
    from recognition.services.people import event_people_update

    event = event_create(studio=studio, user=user, name="People test")
    files = [SimpleUploadedFile((FACES_DIR / p).name, (FACES_DIR / p).read_bytes()) for p in relative_paths]
    for outcome, path in zip(photos_upload(event=event, user=user, files=files), relative_paths):
        assert outcome.status == "created", outcome.reason
        Photo.objects.filter(id=outcome.photo.id).update(state=PhotoState.PROCESSING)
        photo_faces_replace(photo=outcome.photo, faces=analysed(path, pipeline), embedder=pipeline.embedder)
    if people:
        event_people_update(event=event)
    return event


def bbt_people_paths() -> list[str]:
    return sorted(f"bbt/people/{d.name}/{f.name}" for d in (FACES_DIR / "bbt" / "people").iterdir() for f in d.iterdir())


def bbt_group_paths() -> list[str]:
    return sorted(f"bbt/group/{f.name}" for f in (FACES_DIR / "bbt" / "group").iterdir())
