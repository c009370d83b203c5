"""The ingest engine on real photos: states, idempotency, bad input reaching the worker."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.models import Photo, PhotoState
from events.services import event_create, photos_upload
from core.storage import object_storage
from recognition.models import Face
from recognition.ingest.engine import ingest_run
from recognition.ingest.worker import ingest_run_task
from tests.recognition.helpers import detect_into_event


def test_two_people_found_with_boxes_in_original_pixels(studio_a, alice, face_pipeline):
    faces = detect_into_event(studio_a, alice, ["portraits/two_people_obama_biden.jpg"], face_pipeline)
    assert len(faces) == 2
    photo = faces[0].photo
    for face in faces:
        assert 0 <= face.x1 < face.x2 <= photo.width and 0 <= face.y1 < face.y2 <= photo.height
        assert face.embedder_name == "sface" and face.embedder_dim == 128 and face.embedder_version
        assert face.usable and face.probability > 0.9 and len(face.landmarks) == 5


def test_photo_without_a_face_is_done_with_zero_faces(studio_a, alice, face_pipeline, tmp_path):
    event = event_create(studio=studio_a, user=alice, name="E")
    out = io.BytesIO()
    Image.linear_gradient("L").resize((640, 480)).convert("RGB").save(out, "JPEG")
    (outcome,) = photos_upload(event=event, user=alice, files=[SimpleUploadedFile("sky.jpg", out.getvalue())])
    ingest_run_task.delay()
    outcome.photo.refresh_from_db()
    assert outcome.photo.state == PhotoState.DONE and Face.objects.filter(photo=outcome.photo).count() == 0


def test_redelivered_message_changes_nothing(studio_a, alice, face_pipeline):
    faces = detect_into_event(studio_a, alice, ["portraits/obama.jpg"], face_pipeline)
    photo = faces[0].photo
    ids = list(Face.objects.filter(photo=photo).values_list("id", flat=True))
    ingest_run_task.delay()  # a wake again, after the photo is done
    assert list(Face.objects.filter(photo=photo).values_list("id", flat=True)) == ids


def test_crashed_worker_rerun_replaces_faces_instead_of_duplicating(studio_a, alice, face_pipeline):
    faces = detect_into_event(studio_a, alice, ["portraits/obama.jpg"], face_pipeline)
    photo = faces[0].photo
    Photo.objects.filter(id=photo.id).update(state=PhotoState.QUEUED)  # as if a worker died before storing
    ingest_run(pipeline=face_pipeline)
    assert Face.objects.filter(photo=photo).count() == len(faces)
    photo.refresh_from_db()
    assert photo.state == PhotoState.DONE


def test_corrupt_original_reaching_the_worker_fails_with_a_reason(studio_a, alice, face_pipeline):
    faces = detect_into_event(studio_a, alice, ["portraits/obama.jpg"], face_pipeline)
    photo = faces[0].photo
    storage = object_storage()
    with open(storage.path(photo.original_key), "r+b") as fh:
        fh.truncate(2000)  # the stored object got damaged after upload
    Photo.objects.filter(id=photo.id).update(state=PhotoState.QUEUED)
    ingest_run(pipeline=face_pipeline)
    photo.refresh_from_db()
    assert photo.state == PhotoState.FAILED and "cannot read the image" in photo.failure_reason


@pytest.mark.parametrize("name", ["portraits/obama_partial_face.jpg", "portraits/obama_partial_face2.jpg"])
def test_partial_face_yields_at_most_one_usable_face(studio_a, alice, face_pipeline, name):
    """Half a face may be found; nothing else in the photo may pass the quality gate as a face."""
    faces = detect_into_event(studio_a, alice, [name], face_pipeline)
    assert len([face for face in faces if face.usable]) <= 1
    assert all(face.quality_reasons for face in faces if not face.usable)


def test_workers_decode_every_photo_the_upload_accepts(settings):
    """Same pixel limit on both sides: a 180 MP upload must not fail later as a "bomb"."""
    from recognition.conf import face_pipeline

    assert face_pipeline().config.max_pixels == settings.VISAGE_MAX_IMAGE_PIXELS == 200_000_000
