"""Fault 1: SIGKILL every worker process mid-batch; a new worker finishes everything exactly once."""
import time

from events.models import Photo, PhotoState
from recognition.models import Face
from tests.faults.conftest import LEASE_SECONDS, wait_for
from tests.faults.helpers import PHOTOS, as_upload, clean_run_boxes, faces_by_file, finished, same_faces


def test_killed_workers_photos_come_back_and_end_done_once(workers, as_alice, face_pipeline):
    event_id = as_alice.post("/api/v1/events/", {"name": "Killed"}).json()["id"]
    workers.start()
    response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(p) for p in PHOTOS]},
                             format="multipart")
    assert response.status_code == 201, response.content
    wait_for(lambda: Photo.objects.filter(event_id=event_id, state=PhotoState.PROCESSING).exists(),
             timeout=120, what=lambda: f"a worker to claim photos\n{workers.log()}", interval=0.05)
    workers.kill_all()
    held = set(Photo.objects.filter(event_id=event_id, state=PhotoState.PROCESSING).values_list("id", flat=True))
    assert held, "the kill came after the batch finished; nothing was interrupted"
    killed_at = time.monotonic()

    workers.start()
    wait_for(lambda: finished(event_id), timeout=LEASE_SECONDS + 150, what=lambda: f"all photos to finish\n{workers.log()}")
    assert time.monotonic() - killed_at < LEASE_SECONDS + 150
    photos = Photo.objects.filter(event_id=event_id)
    assert {p.state for p in photos} == {PhotoState.DONE}, [(p.id, p.failure_reason) for p in photos]
    assert all(p.attempts >= 2 for p in photos.filter(id__in=held))  # they were claimed again
    assert same_faces(faces_by_file(event_id), clean_run_boxes(face_pipeline, PHOTOS)) == []
    uids = list(Face.objects.filter(event_id=event_id).values_list("photo_id", "x1", "y1"))
    assert len(uids) == len(set(uids)), "a face was stored twice"
