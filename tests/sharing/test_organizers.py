"""Organizers: invited by email, set a password, manage one event's sharing and nothing else."""
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import EventOrganizer, Photo
from events.services import event_create, photos_upload
from tests.factories import client_for, jpeg_bytes
from core.tenancy.models import User


@pytest.fixture
def events(studio_a, alice):
    first = event_create(studio=studio_a, user=alice, name="Ana & Ben")
    second = event_create(studio=studio_a, user=alice, name="Carla & Dan")
    photos_upload(event=first, user=alice, files=[SimpleUploadedFile("a.jpg", jpeg_bytes())])
    return first, second


def invite(client, event, email, capture):
    with capture(execute=True):
        return client.post(f"/api/v1/events/{event.id}/organizers/", {"email": email}, format="json")


@pytest.fixture
def organizer(events, as_alice, django_capture_on_commit_callbacks):
    assert invite(as_alice, events[0], "ana@couple.example", django_capture_on_commit_callbacks).status_code == 201
    return User.objects.get(email="ana@couple.example")


def test_invite_creates_account_and_sends_set_password_link(events, as_alice, organizer, client):
    assert not organizer.has_usable_password()
    assert EventOrganizer.objects.get(user=organizer).event_id == events[0].id
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@couple.example"]
    link = re.search(r"http://testserver(/organizer/set-password/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"Choose your password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-Long-pass-77", "new_password2": "a-Long-pass-77"})
    assert done.status_code == 302
    organizer.refresh_from_db()
    assert organizer.check_password("a-Long-pass-77")
    assert b"used or has expired" in client.get(link, follow=True).content  # the link worked once
    token = client.post("/api/v1/auth/token/", {"email": "ana@couple.example", "password": "a-Long-pass-77"}).json()["token"]
    assert token


def test_an_event_name_with_line_breaks_does_not_break_the_invite(events, as_alice, django_capture_on_commit_callbacks):
    """Before: the name went into the mail subject as is; Django refused the header after the
    organizer row was committed, and the invite answered 500."""
    first = events[0]
    renamed = as_alice.patch(f"/api/v1/events/{first.id}/", {"name": "Ana & Ben\r\nBcc: x@evil.example"}, format="json")
    assert renamed.status_code == 200
    response = invite(as_alice, first, "ana@couple.example", django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    (message,) = mail.outbox
    assert message.subject == "You can now manage sharing for Ana & Ben Bcc: x@evil.example"
    assert message.to == ["ana@couple.example"] and "Bcc" not in message.message()
    assert EventOrganizer.objects.filter(event=first, user__email="ana@couple.example").count() == 1


def test_organizer_manages_their_event_only(events, organizer, as_alice):
    first, second = events
    as_ana = client_for(organizer)
    created = as_ana.post(f"/api/v1/events/{first.id}/share-links/", {"scope": "event"}, format="json")
    assert created.status_code == 201
    photo = Photo.objects.get(event=first)
    assert as_ana.patch(f"/api/v1/photos/{photo.id}/", {"hidden": True}, format="json").status_code == 200
    assert Photo.objects.get(id=photo.id).hidden
    assert as_ana.get(f"/api/v1/events/{second.id}/share-links/").status_code == 404
    assert as_ana.post(f"/api/v1/events/{second.id}/share-links/", {}, format="json").status_code == 404
    assert as_ana.post(f"/api/v1/events/{first.id}/organizers/", {"email": "x@y.example"}, format="json").status_code == 403
    assert as_ana.delete(f"/api/v1/events/{first.id}/").status_code == 403
    assert as_ana.get("/api/v1/studio/sharing-policy/").status_code == 404  # no studio settings


def test_existing_user_is_invited_without_a_new_password(events, as_alice, bob, django_capture_on_commit_callbacks):
    assert invite(as_alice, events[1], "bob@a.example", django_capture_on_commit_callbacks).status_code == 201
    assert bob.has_usable_password()
    assert len(mail.outbox) == 1 and "set-password" not in mail.outbox[0].body  # told, and signs in as before
    assert "Sign in with your existing account" in mail.outbox[0].body


def test_only_studio_writers_invite_and_outsiders_get_404(events, as_vera, as_charlie, as_bob, organizer):
    first = events[0]
    url = f"/api/v1/events/{first.id}/organizers/"
    assert as_vera.post(url, {"email": "v@x.example"}, format="json").status_code == 403
    assert as_charlie.post(url, {"email": "c@x.example"}, format="json").status_code == 404
    assert as_charlie.get(url).status_code == 404
    assert as_charlie.delete(f"{url}{organizer.id}/").status_code == 404
    assert [o["email"] for o in as_bob.get(url).json()] == ["ana@couple.example"]
    assert as_bob.post(url, {"email": "not-an-email"}, format="json").status_code == 400


def test_removing_an_organizer_ends_their_access(events, as_alice, organizer):
    first = events[0]
    assert as_alice.delete(f"/api/v1/events/{first.id}/organizers/{organizer.id}/").status_code == 204
    assert client_for(organizer).get(f"/api/v1/events/{first.id}/share-links/").status_code == 404
    assert as_alice.delete(f"/api/v1/events/{first.id}/organizers/{organizer.id}/").status_code == 404
