"""What happens in the studio reaches its webhooks: real photos processed by the real engine
announce photo.processed then event.processed exactly once; people changes announce
person.updated once per person; a guest search announces guest.searched without selfie data."""
import json

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from events.services import event_create, photos_upload
from recognition.models import Person
from recognition.ingest.reconcile import reconcile
from recognition.ingest.worker import ingest_run_task
from sharing.services.links import share_link_create
from tests.factories import FACES_DIR
from tests.recognition.helpers import detect_into_event
from webhooks import notices
from webhooks.models import Delivery
from webhooks.services import webhook_create

AMY = ["bbt/people/amy/amy1.png", "bbt/people/amy/amy2.png"]


def _bodies(receiver, kind: str | None = None) -> list[dict]:
    bodies = [json.loads(r.body) for r in receiver.requests]
    return [b for b in bodies if kind is None or b["type"] == kind]


def test_processed_photos_announce_each_photo_then_the_event_once(studio_a, alice, studio_b, charlie, receiver,
                                                                  face_pipeline, django_capture_on_commit_callbacks):
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["photo.processed", "event.processed"])
    webhook_create(studio=studio_b, user=charlie, url=receiver.url + "-b", events=["photo.processed", "event.processed"])
    with django_capture_on_commit_callbacks(execute=True):
        faces = detect_into_event(studio_a, alice, AMY, face_pipeline)
    event_id = faces[0].event_id
    kinds = [b["type"] for b in _bodies(receiver)]
    assert kinds == ["photo.processed", "photo.processed", "event.processed"], kinds
    photos = _bodies(receiver, "photo.processed")
    assert {p["data"]["status"] for p in photos} == {"done"} and all(p["data"]["event_id"] == event_id for p in photos)
    assert [p["data"]["face_count"] for p in photos] == [1, 1] and photos[0]["studio"] == studio_a.slug
    (done,) = _bodies(receiver, "event.processed")
    assert done["data"] == {"event_id": event_id, "photos_done": 2, "photos_failed": 0}
    assert all(r.path == "/hooks/visage" for r in receiver.requests)  # nothing went to studio B's webhook

    # Nothing new happened: a reconcile, another worker wake, or the same photos announced twice
    # (two workers ending an event's last photos both find nothing pending) send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        reconcile(check_storage=False)
        ingest_run_task.apply()
        notices.photos_finished(photo_ids=[faces[-1].photo_id])
    assert len(receiver.requests) == 4 and _bodies(receiver)[-1]["type"] == "photo.processed"

    # New photos arrive and finish: the event is announced again, counting them.
    event = faces[0].event
    third = FACES_DIR / "bbt/people/amy/amy3.png"
    with django_capture_on_commit_callbacks(execute=True):
        photos_upload(event=event, user=alice, files=[SimpleUploadedFile(third.name, third.read_bytes())])
        ingest_run_task.apply()
    assert [b["type"] for b in _bodies(receiver)][4:] == ["photo.processed", "event.processed"]
    assert _bodies(receiver, "event.processed")[-1]["data"] == {"event_id": event_id, "photos_done": 3, "photos_failed": 0}


def test_a_failed_photo_is_announced_with_its_reason(studio_a, alice, receiver, face_pipeline,
                                                     django_capture_on_commit_callbacks):
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["photo.processed", "event.processed"])
    event = event_create(studio=studio_a, user=alice, name="Broken")
    with django_capture_on_commit_callbacks(execute=True):
        (outcome,) = photos_upload(event=event, user=alice, files=[
            SimpleUploadedFile("a.png", (FACES_DIR / AMY[0]).read_bytes())])
        from events.lifecycle import photo_fail
        from events.models import Photo, PhotoState
        Photo.objects.filter(id=outcome.photo.id).update(state=PhotoState.PROCESSING)
        photo_fail(photo_id=outcome.photo.id, reason="the original is missing from storage")
    photo, done = _bodies(receiver)
    assert photo["data"]["status"] == "failed" and photo["data"]["reason"] == "the original is missing from storage"
    assert done["data"] == {"event_id": event.id, "photos_done": 0, "photos_failed": 1}


def test_people_changes_announce_each_person_once(studio_a, alice, as_alice, receiver, face_pipeline,
                                                  django_capture_on_commit_callbacks):
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["person.updated"])
    cache.clear()  # the people update's debounce key from other tests
    with django_capture_on_commit_callbacks(execute=True):
        faces = detect_into_event(studio_a, alice, AMY, face_pipeline)
    person = Person.objects.get(event_id=faces[0].event_id)
    formed = _bodies(receiver, "person.updated")
    # The people update that formed her announced her once, with both faces (not once per face).
    assert formed and all(b["data"]["person_id"] == person.id for b in formed)
    assert formed[-1]["data"] == {"person_id": person.id, "event_id": person.event_id, "name": "", "hidden": False,
                                  "face_count": 2}
    assert len(formed) == Delivery.objects.filter(event_type="person.updated").count() <= 2
    before = len(receiver.requests)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.patch(f"/api/v1/people/{person.id}/", {"name": "Amy"}, format="json")
    assert response.status_code == 200, response.content
    (renamed,) = _bodies(receiver)[before:]
    assert renamed["data"] == {"person_id": person.id, "event_id": person.event_id, "name": "Amy", "hidden": False,
                               "face_count": 2}


def test_a_guest_search_is_announced_without_selfie_data(studio_a, alice, receiver, face_pipeline,
                                                         django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    faces = detect_into_event(studio_a, alice, AMY, face_pipeline)
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["guest.searched"])
    link = share_link_create(event=faces[0].event, user=None, base_url="http://testserver")
    guest = APIClient(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="pytest-guest/1.0")
    selfie = (FACES_DIR / "bbt/people/amy/amy3.png").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = guest.post(f"/api/v1/guest/{link.token}/search",
                              {"consent": "true", "selfie": SimpleUploadedFile("me.png", selfie)}, format="multipart")
    assert response.status_code == 200, response.content
    matches = response.json()["matches"]
    assert len(matches) == 2
    (received,) = receiver.requests
    body = json.loads(received.body)
    assert body["type"] == "guest.searched"
    assert body["data"] == {"event_id": faces[0].event_id, "share_link_id": link.link.id, "match_count": 2}
    raw = received.body.decode()
    for leaked in ("selfie", "embedding", "203.0.113", "pytest-guest", link.token, "face_id", "box"):
        assert leaked not in raw
