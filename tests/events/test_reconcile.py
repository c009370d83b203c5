"""The reconciler: wakes workers for waiting photos, audits and repairs storage."""
import json
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from events import reconcile as reconcile_module
from events.models import Photo, PhotoState
from events.reconcile import reconcile
from core.storage import object_storage
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
