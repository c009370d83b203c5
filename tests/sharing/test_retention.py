"""Retention: face data of events past their studio's retention is crypto-shredded, and only theirs."""
from datetime import date, timedelta

from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events.models import Event
from events.services import event_create, photos_upload
from recognition.models import EventKey, Face, Person
from recognition.services.keys import event_data_key
from sharing.models import GuestSession
from sharing.services.retention import retention_deadline, retention_purge, studio_policy_set
from sharing.tasks import purge_expired
from tests.factories import jpeg_bytes
from tests.sharing.conftest import guest_client, make_link, read_face, search


def age_event(event_id: int, days: int) -> None:
    Event.objects.filter(id=event_id).update(starts_on=timezone.localdate() - timedelta(days=days))


def test_deadline_counts_from_the_event_day_or_its_creation(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="x", starts_on=date(2025, 6, 1))
    assert retention_deadline(event=event, retention_days=90) == date(2025, 8, 30)
    undated = event_create(studio=studio_a, user=alice, name="y")
    assert retention_deadline(event=undated, retention_days=10) == timezone.localdate(undated.created_at) + timedelta(days=10)


def test_purge_shreds_old_events_and_search_finds_nothing(db, bbt, capsys, django_capture_on_commit_callbacks):
    token = make_link(bbt.event).token
    assert search(guest_client("198.51.100.1"), token, read_face("bbt/people/amy/amy1.png")).json()["matches"]
    blobs_before = Face.objects.filter(event_id=bbt.event_id).count()
    age_event(bbt.event_id, days=91)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired")
    assert f"[{bbt.event_id}]" in capsys.readouterr().out and blobs_before > 0
    assert not EventKey.objects.filter(event_id=bbt.event_id).exists()
    assert not Face.objects.filter(event_id=bbt.event_id).exists()
    assert not Person.objects.filter(event_id=bbt.event_id).exists()
    assert search(guest_client("198.51.100.2"), token, read_face("bbt/people/amy/amy1.png")).json()["matches"] == []
    assert retention_purge().events == []  # idempotent: nothing left to purge


def test_recent_events_and_longer_policies_are_kept(db, bbt, studio_a, alice):
    age_event(bbt.event_id, days=89)
    recent = event_create(studio=studio_a, user=alice, name="recent", starts_on=timezone.localdate() - timedelta(days=200))
    studio_policy_set(studio=studio_a, retention_days=365)
    event_data_key(event=recent)  # it holds a key, like any processed event
    assert retention_purge(dry_run=True).events == []
    assert purge_expired() == {"events": [], "faces": 0, "sessions": 0}
    assert Face.objects.filter(event_id=bbt.event_id).exists() and EventKey.objects.filter(event=recent).exists()
    studio_policy_set(studio=studio_a, retention_days=100)
    assert retention_purge().events == [recent.id]
    assert Face.objects.filter(event_id=bbt.event_id).exists()  # another studio's policy, not yet due


def test_expired_guest_sessions_are_deleted(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="x")
    photos_upload(event=event, user=alice, files=[SimpleUploadedFile("a.jpg", jpeg_bytes())])
    created = make_link(event, scope="event")
    client = guest_client()
    client.post(f"/api/v1/guest/{created.token}/session", {"consent": True}, format="json")
    GuestSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    report = retention_purge()
    assert report.sessions == 1 and not GuestSession.objects.exists()
    assert created.link.consents.count() == 1  # the consent record itself is kept
