"""Fault 4 and 5: outages after the upload answered 201. No accepted photo fails and no event is
left without people: storage (an S3 server) down ~10 s while workers ingest, and the broker
down as a batch ends (its people update cannot be queued)."""
import time

from events.models import Event, Photo, PhotoState
from recognition.models import Face, Person
from tests.faults.conftest import wait_for
from tests.faults.helpers import PHOTOS, as_upload, finished

OUTAGE_SECONDS = 10


def test_a_storage_outage_during_ingest_fails_no_accepted_photo(s3_server, workers, as_alice):
    """Before: each photo's three attempts were spent in under a second and all ended failed."""
    event_id = as_alice.post("/api/v1/events/", {"name": "Storage outage"}).json()["id"]
    photos = PHOTOS[:6]
    response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(p) for p in photos]},
                             format="multipart")
    assert response.status_code == 201, response.content  # accepted: stored and queued
    s3_server.stop()
    workers.env.update(s3_server.worker_env(), VISAGE_INGEST_RETRY_FIRST_SECONDS="1",
                       VISAGE_INGEST_RETRY_MAX_SECONDS="4")
    workers.start()
    claimed = Photo.objects.filter(event_id=event_id, claimed_at__isnull=False)
    wait_for(claimed.exists, timeout=90, what=lambda: f"a worker to claim photos\n{workers.log()}", interval=0.1)
    time.sleep(OUTAGE_SECONDS)  # ingest runs into the outage for 10 s
    s3_server.start()
    back_at = time.monotonic()

    wait_for(lambda: finished(event_id), timeout=60, what=lambda: f"all photos to finish\n{workers.log()}")
    recovered_s = time.monotonic() - back_at
    rows = Photo.objects.filter(event_id=event_id)
    assert {p.state for p in rows} == {PhotoState.DONE}, [(p.original_filename, p.failure_reason) for p in rows]
    assert all(p.attempts == 1 for p in rows)  # the outage spent no attempt
    assert Face.objects.filter(event_id=event_id).exists()
    print(f"storage outage: {len(rows)}/{len(rows)} photos done, all done {recovered_s:.1f} s after storage came back")


def test_a_broker_outage_at_a_batchs_end_still_gives_the_event_its_people(workers, broker, as_alice):
    """Before: the people update was never queued and nothing noticed (faces, 0 people, for good)."""
    from recognition.ingest.worker import ingest_run_task

    event_id = as_alice.post("/api/v1/events/", {"name": "Broker outage"}).json()["id"]
    group = [path for path in PHOTOS if "group" in str(path)][:4]
    response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(p) for p in group]},
                             format="multipart")
    assert response.status_code == 201, response.content
    broker.stop()  # the wakes are lost, and so is whatever the batch's end tries to queue
    ingest_run_task()  # a worker's run, here: stores every photo, then cannot queue the people update
    assert finished(event_id) and Face.objects.filter(event_id=event_id).exists()
    assert not Person.objects.filter(event_id=event_id).exists()
    assert Event.objects.get(id=event_id).people_due_at is not None

    broker.start()  # back, empty: only the reconciler knows the event waits for people
    started = time.monotonic()
    workers.env.update(VISAGE_RECONCILE_PEOPLE_GRACE_SECONDS="1", VISAGE_PRELOAD_MODELS="false")
    workers.start()
    wait_for(lambda: Person.objects.filter(event_id=event_id).exists(), timeout=60,
             what=lambda: f"the reconciler to queue the people update\n{workers.log()}")
    wait_for(lambda: Event.objects.get(id=event_id).people_due_at is None, timeout=30, what="the flag to clear")
    print(f"broker outage: {Person.objects.filter(event_id=event_id).count()} people "
          f"{time.monotonic() - started:.1f} s after the broker came back")
