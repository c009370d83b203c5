"""Fault 4: a photo whose face detection raises an unexpected error ends failed with a reason;
its batch-mates are done and the event's people still form (also while a photo is stuck)."""
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from events.models import Photo, PhotoState
from events.services import event_create, photos_upload
from recognition.ingest.engine import ingest_run
from recognition.models import Face, Person
from recognition.services.people import event_people_update
from tests.factories import FACES_DIR

PEOPLE = [FACES_DIR / "bbt" / "people" / name / f"{name}{i}.png" for name in ("amy", "penny") for i in (1, 2, 3)]
POISON_SIZE = (151, 149)  # no real photo of the test has this size


class Poisoned:
    """The real detector, except that an image of POISON_SIZE makes it raise (as a bug would)."""

    def __init__(self, detector):
        self.detector, self.calls = detector, 0

    def detect_batch(self, images, **kwargs):
        self.calls += 1
        if any(image.size == POISON_SIZE for image in images):
            raise RuntimeError("simulated bug in face detection")
        return self.detector.detect_batch(images, **kwargs)


def test_a_photo_that_breaks_detection_fails_alone_and_people_still_form(studio_a, alice, face_pipeline, monkeypatch):
    event = event_create(studio=studio_a, user=alice, name="Poison")
    poison = Image.open(PEOPLE[0]).convert("RGB").resize(POISON_SIZE)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in PEOPLE]
    files.insert(2, SimpleUploadedFile("poison.png", _png(poison)))
    photos_upload(event=event, user=alice, files=files)
    poisoned = Poisoned(face_pipeline.detector)
    monkeypatch.setattr(face_pipeline, "detector", poisoned)

    ingest_run(pipeline=face_pipeline, batch_size=8)

    bad = Photo.objects.get(event=event, original_filename="poison.png")
    assert bad.state == PhotoState.FAILED
    assert "face detection failed" in bad.failure_reason and "simulated bug" in bad.failure_reason
    good = Photo.objects.filter(event=event).exclude(id=bad.id)
    assert set(good.values_list("state", flat=True)) == {PhotoState.DONE}
    assert poisoned.calls > 1  # the batch was retried photo by photo
    event_people_update(event=event)
    sizes = sorted(person.faces.count() for person in Person.objects.filter(event=event))
    assert sizes == [3, 3], sizes


def test_people_form_from_done_photos_while_another_photo_is_stuck(studio_a, alice, face_pipeline):
    event = event_create(studio=studio_a, user=alice, name="Stuck")
    photos_upload(event=event, user=alice, files=[SimpleUploadedFile(p.name, p.read_bytes()) for p in PEOPLE])
    ingest_run(pipeline=face_pipeline)
    stuck = Photo.objects.filter(event=event).first()
    Photo.objects.filter(id=stuck.id).update(state=PhotoState.PROCESSING, lease_until=timezone.now() + timedelta(hours=1))

    fresh = event_people_update(event=event)  # the rest may still be arriving: wait a little
    assert fresh["new_people"] == 0 and 0 < fresh["retry_in"] <= 31
    Face.objects.filter(event=event).update(created_at=timezone.now() - timedelta(seconds=31))
    later = event_people_update(event=event)  # waited long enough: cluster without the stuck photo
    assert later["new_people"] == 2 and later["retry_in"] == 0


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_photo_of_an_event_made_with_a_model_this_worker_lacks_fails_alone(studio_a, alice, face_pipeline):
    """An event records its embedder with its first faces; a worker that cannot run that model
    fails the event's photos with the reason, and the other events' photos of the batch are done."""
    from recognition.services.calibration import event_calibration_record

    other_event = event_create(studio=studio_a, user=alice, name="Made with another model")
    unknown = type("Unknown", (), {"name": "sface-fast", "version": "an-older-model-file", "dim": 128})()
    event_calibration_record(event_id=other_event.id, embedder=unknown)
    plain = event_create(studio=studio_a, user=alice, name="Plain")
    photos_upload(event=other_event, user=alice, files=[SimpleUploadedFile(PEOPLE[0].name, PEOPLE[0].read_bytes())])
    photos_upload(event=plain, user=alice, files=[SimpleUploadedFile(PEOPLE[3].name, PEOPLE[3].read_bytes())])

    ingest_run(pipeline=face_pipeline, batch_size=8)

    refused = Photo.objects.get(event=other_event)
    assert refused.state == PhotoState.FAILED and "another model" in refused.failure_reason
    assert Photo.objects.get(event=plain).state == PhotoState.DONE
    assert not Face.objects.filter(event=other_event).exists()
