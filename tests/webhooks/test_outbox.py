"""Webhooks are fed by an outbox row (core/outbox.py, webhooks/outbox.py), not by queries under
the sender's locks: the ingest store transaction runs no webhook query and locks no event row; a
lost wake leaves the row for the beat sweep; each row is expanded, and each notice delivered, once."""
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError as BrokerUnavailable

from core.models import OutboxRow
from core.outbox import MAX_ATTEMPTS, outbox_write
from events.lifecycle import photo_fail
from events.models import Photo, PhotoState
from events.services import event_create, photos_upload
from recognition.ingest import engine
from tests.factories import FACES_DIR
from webhooks import tasks
from webhooks.models import Delivery
from webhooks.outbox import notices_expand
from webhooks.services import webhook_create

AMY = ["bbt/people/amy/amy1.png", "bbt/people/amy/amy2.png"]


def _types(receiver) -> list[str]:
    return [json.loads(r.body)["type"] for r in receiver.requests]


def _upload(studio, user, paths, name="Outbox") -> list[Photo]:
    event = event_create(studio=studio, user=user, name=name)
    files = [SimpleUploadedFile((FACES_DIR / p).name, (FACES_DIR / p).read_bytes()) for p in paths]
    return [outcome.photo for outcome in photos_upload(event=event, user=user, files=files)]


def test_the_ingest_store_transaction_runs_no_webhook_query_and_locks_no_event(
        studio_a, alice, receiver, face_pipeline, monkeypatch, django_capture_on_commit_callbacks):
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["photo.processed", "event.processed"])
    photos = _upload(studio_a, alice, AMY)
    store_queries = []
    real_store = engine.store_batch

    def store_batch_captured(**kwargs):  # the real store, its queries recorded
        with CaptureQueriesContext(connection) as captured:
            stored = real_store(**kwargs)
        store_queries.extend(query["sql"] for query in captured.captured_queries)
        return stored

    monkeypatch.setattr(engine, "store_batch", store_batch_captured)
    with django_capture_on_commit_callbacks(execute=True):
        report = engine.ingest_run(pipeline=face_pipeline, budget_s=300)
        assert report.done == 2 and not receiver.requests  # nothing is sent before the batch commits
    assert store_queries and any("core_outboxrow" in sql for sql in store_queries)
    assert not [sql for sql in store_queries if "webhooks_" in sql]
    assert not [sql for sql in store_queries if "FOR UPDATE" in sql and '"events_event"' in sql]
    # Once committed, webhooks' own task expands the row: the same notices as ever.
    assert _types(receiver) == ["photo.processed", "photo.processed", "event.processed"]
    assert {json.loads(r.body)["data"]["photo_id"] for r in receiver.requests[:2]} == {p.id for p in photos}
    assert not OutboxRow.objects.exists()


def test_a_lost_wake_is_made_good_by_the_sweep_and_nothing_is_sent_twice(
        studio_a, alice, receiver, monkeypatch, django_capture_on_commit_callbacks):
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["photo.processed", "event.processed"])
    (photo,) = _upload(studio_a, alice, AMY[:1])

    def broker_down(*args, **kwargs):
        raise BrokerUnavailable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.expand_notices, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        Photo.objects.filter(id=photo.id).update(state=PhotoState.PROCESSING)
        photo_fail(photo_id=photo.id, reason="the original is missing from storage")
    assert not receiver.requests and OutboxRow.objects.count() == 1  # the notice waits in the outbox
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_due.apply()  # beat
    assert _types(receiver) == ["photo.processed", "event.processed"]
    assert json.loads(receiver.requests[0].body)["data"]["reason"] == "the original is missing from storage"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_due.apply()  # again: the row is gone with the deliveries it made
        tasks.expand_notices.apply((1,))  # a late or duplicated wake finds nothing
    assert len(receiver.requests) == 2 and not OutboxRow.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_expanders_never_share_a_row(studio_a, alice, receiver):
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["photo.processed"])
    event = event_create(studio=studio_a, user=alice, name="Race")
    photo = Photo.objects.create(studio=studio_a, event=event, original_filename="a.jpg", original_key="k/a", size=1,
                                 sha256="a" * 64, content_type="image/jpeg", width=1, height=1, state=PhotoState.DONE)
    row = outbox_write(topic="webhooks.photos_finished", payload={"event_id": photo.event_id, "photo_ids": [photo.id]})
    locked, release = threading.Event(), threading.Event()

    def other_expander():  # holds the row as an expander does while it works
        try:
            with transaction.atomic():
                OutboxRow.objects.select_for_update().get(id=row.id)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_expander)
    thread.start()
    try:
        assert locked.wait(10)
        assert notices_expand(row_ids=[row.id]) == 0  # skipped, not waited for, not doubled
        assert not Delivery.objects.exists()
    finally:
        release.set()
        thread.join()
    assert notices_expand() == 1 and notices_expand() == 0
    assert Delivery.objects.filter(event_type="photo.processed").count() == 1


def test_a_row_that_cannot_be_expanded_keeps_its_reason_and_holds_up_no_other(studio_a, alice, receiver,
                                                                                django_capture_on_commit_callbacks):
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["photo.processed"])
    (photo,) = _upload(studio_a, alice, AMY[:1])
    broken = outbox_write(topic="webhooks.photos_finished", payload={"photos": "not what the hook sends"})
    good = outbox_write(topic="webhooks.photos_finished", payload={"event_id": photo.event_id, "photo_ids": [photo.id]})
    with django_capture_on_commit_callbacks(execute=True):
        assert notices_expand() == 1
    assert _types(receiver) == ["photo.processed"] and not OutboxRow.objects.filter(id=good.id).exists()
    broken.refresh_from_db()
    assert broken.attempts == 1 and "TypeError" in broken.last_error
    for _ in range(MAX_ATTEMPTS):
        notices_expand()
    broken.refresh_from_db()
    assert broken.attempts == MAX_ATTEMPTS  # given up on, with its reason, for a person to look at
