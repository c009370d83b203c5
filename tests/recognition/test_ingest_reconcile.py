"""The reconciler (recognition/ingest/reconcile.py, with events/storage_audit.py): wakes workers
for waiting photos, audits and repairs storage."""
import json
import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from core.storage import object_storage
from events.models import Event, Photo, PhotoFailure, PhotoState
from recognition.ingest import reconcile as reconcile_module
from recognition.ingest.reconcile import reconcile
from recognition.conf import face_pipeline
from tests.factories import jpeg_bytes


@pytest.fixture
def wakes(monkeypatch):
    sent = []
    monkeypatch.setattr(reconcile_module, "ingest_wake", lambda photos: sent.append(photos) or 1)
    return sent


@pytest.fixture
def event_id(as_alice):
    return as_alice.post("/api/v1/events/", {"name": "Audit"}).json()["id"]


def _upload(client, event_id, name, color) -> Photo:
    files = [SimpleUploadedFile(name, jpeg_bytes(color=color))]
    body = client.post(f"/api/v1/events/{event_id}/photos/", {"files": files}, format="multipart").json()
    return Photo.objects.get(id=body["results"][0]["photo"]["id"])


def test_queued_photos_whose_wake_was_lost_get_workers_woken(as_alice, event_id, wakes):
    for i in range(3):
        _upload(as_alice, event_id, f"{i}.jpg", (i * 40, 10, 10))  # on-commit wakes never ran: "lost"
    report = reconcile(check_storage=False)
    assert report.waiting == 3 and wakes == [3]
    Photo.objects.update(state=PhotoState.DONE)
    wakes.clear()
    assert reconcile(check_storage=False).waiting == 0 and wakes == []


def test_a_row_whose_original_is_gone_is_reported_then_failed_on_repair(as_alice, event_id, wakes):
    photo = _upload(as_alice, event_id, "gone.jpg", (1, 2, 3))
    object_storage().delete(photo.original_key)
    report = reconcile()
    assert report.rows_without_objects == [f"photo {photo.id}: {photo.original_key}"]
    photo.refresh_from_db()
    assert photo.state == PhotoState.QUEUED  # a report changes nothing
    reconcile(repair=True)
    photo.refresh_from_db()
    assert photo.state == PhotoState.FAILED and "missing from storage" in photo.failure_reason


def test_orphan_objects_are_deleted_only_after_the_grace_period(as_alice, event_id, studio_a, wakes):
    storage = object_storage()
    key = f"{studio_a.id}/events/{event_id}/originals/orphan.jpg"
    storage.save(key, ContentFile(b"left by a crashed upload"))
    assert reconcile(repair=True).objects_without_rows == [key]
    assert storage.exists(key)  # could be an upload still in flight
    two_hours_ago = time.time() - 7200
    os.utime(storage.path(key), (two_hours_ago, two_hours_ago))
    reconcile(repair=True)
    assert not storage.exists(key)


def test_a_done_photo_whose_preview_was_lost_is_queued_again(as_alice, event_id, wakes):
    photo = _upload(as_alice, event_id, "p.jpg", (9, 9, 9))
    Photo.objects.filter(id=photo.id).update(state=PhotoState.DONE, preview_key="nowhere/preview.jpg")
    assert reconcile().missing_previews == [photo.id]
    reconcile(repair=True)
    photo.refresh_from_db()
    assert photo.state == PhotoState.QUEUED and photo.attempts == 0


def test_the_command_prints_the_report_as_json(as_alice, event_id, wakes, capsys):
    _upload(as_alice, event_id, "a.jpg", (5, 5, 5))
    call_command("reconcile")
    body = json.loads(capsys.readouterr().out)
    assert body["waiting"] == 1 and body["rows_without_objects"] == 0 and body["woken"] == 1


def _fail(photo: Photo, code: str) -> None:
    Photo.objects.filter(id=photo.id).update(state=PhotoState.FAILED, failure_code=code, attempts=3,
                                             failure_reason="the infrastructure stayed unavailable for 30 min")


def test_photos_failed_only_for_transient_reasons_are_queued_again_by_beat_and_repair(as_alice, event_id, wakes):
    transient = _upload(as_alice, event_id, "t.jpg", (1, 1, 1))
    own_fault = _upload(as_alice, event_id, "o.jpg", (2, 2, 2))
    _fail(transient, PhotoFailure.TRANSIENT)
    _fail(own_fault, PhotoFailure.PERMANENT)
    report = reconcile(check_storage=False)  # what beat runs
    assert report.requeued == 1 and wakes == [1]
    transient.refresh_from_db()
    own_fault.refresh_from_db()
    assert transient.state == PhotoState.QUEUED and transient.attempts == 0 and transient.failure_code == ""
    assert own_fault.state == PhotoState.FAILED  # the photo's own fault: a retry would fail the same way

    _fail(transient, PhotoFailure.TRANSIENT)
    call_command("reconcile", "--repair")
    transient.refresh_from_db()
    assert transient.state == PhotoState.QUEUED


def test_transient_failures_wait_while_storage_is_still_away(as_alice, event_id, wakes, monkeypatch):
    from recognition.ingest import retries

    class Away:
        def exists(self, key):
            raise ConnectionError("storage still down")

    photo = _upload(as_alice, event_id, "t.jpg", (3, 3, 3))
    _fail(photo, PhotoFailure.TRANSIENT)
    monkeypatch.setattr(retries, "object_storage", lambda: Away())
    assert reconcile(check_storage=False).requeued == 0
    photo.refresh_from_db()
    assert photo.state == PhotoState.FAILED


def test_events_whose_people_update_is_overdue_get_one_queued(as_alice, event_id, wakes, settings, monkeypatch):
    settings.VISAGE_RECONCILE_PEOPLE_GRACE_SECONDS = 60
    queued = []
    monkeypatch.setattr(reconcile_module, "queue_people_update", lambda event: queued.append(event) or True)
    recent = Event.objects.create(studio_id=Event.objects.get(id=event_id).studio_id, name="Recent")
    Event.objects.filter(id=event_id).update(people_due_at=timezone.now() - timedelta(seconds=61))
    Event.objects.filter(id=recent.id).update(people_due_at=timezone.now() - timedelta(seconds=30))
    report = reconcile(check_storage=False)
    assert queued == [event_id] and report.people_queued == 1 and report.people_overdue == [event_id]


@pytest.mark.django_db(transaction=True)
def test_a_people_update_lost_at_a_batchs_end_is_queued_by_the_reconciler(studio_a, alice, monkeypatch):
    """Before: the broker down as a batch ended meant faces and no people, for good."""
    from kombu.exceptions import OperationalError

    from recognition import tasks
    from recognition.models import Face, Person
    from tests.recognition.helpers import detect_into_event

    pipeline = face_pipeline()
    real_apply_async = tasks.event_people_update_task.apply_async

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.event_people_update_task, "apply_async", broker_down)
    faces = detect_into_event(studio_a, alice, ["portraits/obama.jpg", "portraits/obama2.jpg"], pipeline)
    event = faces[0].event
    assert len(faces) >= 2 and not Person.objects.filter(event=event).exists()
    event.refresh_from_db()
    assert event.people_due_at is not None  # the intent outlived the lost message

    monkeypatch.setattr(tasks.event_people_update_task, "apply_async", real_apply_async)
    assert reconcile(check_storage=False).people_queued == 0  # within the grace: maybe still on its way
    Event.objects.filter(id=event.id).update(people_due_at=timezone.now() - timedelta(hours=1))
    assert reconcile(check_storage=False).people_queued == 1
    assert Person.objects.filter(event=event).exists()
    assert not Face.objects.filter(event=event, usable=True, person__isnull=True).exists()
    event.refresh_from_db()
    assert event.people_due_at is None


def test_photos_the_old_burst_failed_before_codes_existed_come_back(as_alice, event_id, wakes):
    """The audit's six photos failed under the old code; the backfill gives them the code the
    reconciler looks for, and only them."""
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("events.migrations.0005_failure_codes_backfill").backfill
    reasons = {
        "burst": "gave up after 3 attempts; last error: storage unavailable (EndpointConnectionError: …)",
        "killed": "processing was interrupted 3 times (the worker was killed or ran out of memory on this photo)",
        "broken": "cannot read the image: truncated",
    }
    photos = {}
    for index, (name, reason) in enumerate(reasons.items()):
        photos[name] = _upload(as_alice, event_id, f"{name}.jpg", (index * 50, 9, 9))
        Photo.objects.filter(id=photos[name].id).update(state=PhotoState.FAILED, failure_reason=reason, failure_code="")
    backfill(apps, None)
    codes = dict(Photo.objects.filter(event_id=event_id).values_list("original_filename", "failure_code"))
    assert codes == {"burst.jpg": "transient", "killed.jpg": "interrupted", "broken.jpg": "permanent"}
    assert reconcile(check_storage=False).requeued == 1
    assert Photo.objects.get(id=photos["burst"].id).state == PhotoState.QUEUED
