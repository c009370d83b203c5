"""Fault 2: the broker (Redis) stops and restarts during an upload burst: no 500s, nothing lost."""
from events.models import Photo, PhotoState
from tests.faults.conftest import LEASE_SECONDS, wait_for
from tests.faults.helpers import PHOTOS, as_upload, finished


def test_uploads_during_a_redis_outage_are_stored_and_processed(workers, broker, as_alice):
    event_id = as_alice.post("/api/v1/events/", {"name": "Outage"}).json()["id"]
    workers.start()
    statuses = []
    for index, path in enumerate(PHOTOS):
        if index == 3:
            broker.stop()  # the wakes of the rest of the burst are lost
        response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(path)]}, format="multipart")
        statuses.append(response.status_code)
        assert response.status_code == 201, response.content
    assert Photo.objects.filter(event_id=event_id).count() == len(PHOTOS)
    broker.start()  # back, empty; no upload follows: the running worker's reconciler must find them

    wait_for(lambda: finished(event_id), timeout=LEASE_SECONDS + 150, what=lambda: f"all photos to finish\n{workers.log()}")
    assert set(Photo.objects.filter(event_id=event_id).values_list("state", flat=True)) == {PhotoState.DONE}
    assert statuses == [201] * len(PHOTOS)


def test_photos_whose_wakes_were_all_lost_are_processed(workers, broker, as_alice):
    """Every wake lost (broker down for the whole burst): the reconciler alone gets them done."""
    event_id = as_alice.post("/api/v1/events/", {"name": "All lost"}).json()["id"]
    broker.stop()
    response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(p) for p in PHOTOS[:4]]},
                             format="multipart")
    assert response.status_code == 201, response.content
    assert set(Photo.objects.filter(event_id=event_id).values_list("state", flat=True)) == {PhotoState.QUEUED}
    broker.start()
    workers.start()
    wait_for(lambda: finished(event_id), timeout=120, what=lambda: f"the reconciler to wake a worker\n{workers.log()}")
    assert set(Photo.objects.filter(event_id=event_id).values_list("state", flat=True)) == {PhotoState.DONE}
