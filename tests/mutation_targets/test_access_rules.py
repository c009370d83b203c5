"""core/access.py and events/access.py: the lookups answer for the object asked, inside the caller's
events, with the caller's own role (mutation survivors of scripts/mutation.py turned into tests)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from core.access import ACTIONS, ORGANIZER, role_can
from core.tenancy.models import Role
from events.access import event_access_get, photo_access_get, reachable_events
from events.models import EventOrganizer
from events.services import event_create, photos_upload
from tests.factories import jpeg_bytes


@pytest.fixture
def two_photos(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    files = [SimpleUploadedFile(f"{n}.jpg", jpeg_bytes(color=(n, 10, 10))) for n in (1, 2)]
    return [outcome.photo for outcome in photos_upload(event=event, user=alice, files=files)]


def test_a_photo_lookup_answers_the_photo_asked_for(two_photos, alice):
    """Not merely some photo of the caller's events: each id gives its own photo and event role."""
    for photo in two_photos:
        found, access = photo_access_get(user=alice, photo_id=photo.id)
        assert found.id == photo.id and access.event.id == photo.event_id and access.role == Role.OWNER


def test_a_photo_lookup_brings_its_event_along(two_photos, alice, django_assert_num_queries):
    photo, access = photo_access_get(user=alice, photo_id=two_photos[0].id)
    with django_assert_num_queries(0):  # views read photo.event and the studio on every request
        assert photo.event.name == "Gala" and access.event.studio.name == "Studio A"


def test_an_event_lookup_brings_its_studio_along(studio_a, alice, django_assert_num_queries):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    access = event_access_get(user=alice, event_id=event.id)
    with django_assert_num_queries(0):
        assert access.event.studio.name == "Studio A"


def test_nobody_and_an_anonymous_caller_reach_no_event(studio_a, alice):
    """An event without organizers must not match a missing user (user=None means IS NULL joins)."""
    from django.contrib.auth.models import AnonymousUser

    event_create(studio=studio_a, user=alice, name="Gala")
    assert list(reachable_events(user=None)) == []
    assert list(reachable_events(user=AnonymousUser())) == []
    assert reachable_events(user=alice).count() == 1


def test_an_organizer_of_one_event_reaches_only_that_one(studio_a, alice, charlie):
    """The owner of studio B, organizer of one of A's events, reaches it as organizer and no other."""
    mine = event_create(studio=studio_a, user=alice, name="Theirs to organize")
    other = event_create(studio=studio_a, user=alice, name="Not theirs")
    EventOrganizer.objects.create(studio=studio_a, event=mine, user=charlie)
    assert event_access_get(user=charlie, event_id=mine.id).role == ORGANIZER
    with pytest.raises(Http404):
        event_access_get(user=charlie, event_id=other.id)
    assert list(reachable_events(user=charlie)) == [mine]


@pytest.mark.parametrize("action", ACTIONS)
def test_no_role_can_nothing(action):
    assert role_can(None, action) is False
    assert role_can("stranger", action) is False


@pytest.mark.parametrize("action,allowed", [
    ("view", True), ("faces", False), ("upload", False), ("curate", False), ("share", True), ("invite", False),
    ("delete", False)])
def test_the_organizer_row_of_the_table(action, allowed):
    assert role_can(ORGANIZER, action) is allowed


def test_another_studios_event_and_photo_are_a_404_that_says_what_is_missing(two_photos, as_charlie):
    """The same answer as a missing id (never a 403), and a message the caller can act on."""
    event = as_charlie.get(f"/api/v1/events/{two_photos[0].event_id}/")
    photo = as_charlie.get(f"/api/v1/photos/{two_photos[0].id}/")
    missing = as_charlie.get("/api/v1/events/999999/")
    assert event.status_code == photo.status_code == missing.status_code == 404
    assert event.json() == missing.json() == {"error": {"code": "not_found", "message": "No such event.", "details": None}}
    assert photo.json()["error"]["message"] == "No such photo."


def test_an_anonymous_caller_asking_for_a_real_event_gets_a_404(studio_a, alice):
    """The lookup is scoped before any role is read: an anonymous user never reaches the role queries."""
    from django.contrib.auth.models import AnonymousUser

    event = event_create(studio=studio_a, user=alice, name="Gala")
    with pytest.raises(Http404):
        event_access_get(user=AnonymousUser(), event_id=event.id)


def test_the_role_check_alone_refuses_an_organizer_of_another_event(studio_a, alice, charlie):
    """Defence in depth: the role read after the scoped lookup is itself scoped to this user and this
    event, so neither an organizer elsewhere nor another person's organizer row gives a role."""
    from events.access import _role

    mine = event_create(studio=studio_a, user=alice, name="Theirs to organize")
    other = event_create(studio=studio_a, user=alice, name="Not theirs")
    EventOrganizer.objects.create(studio=studio_a, event=mine, user=charlie)
    assert _role(charlie, mine) == ORGANIZER
    assert _role(charlie, other) is None  # organizer of another event of the same studio
    outsider = type(charlie).objects.create_user(email="olga@c.example", password="pw-olga-123")
    assert _role(outsider, mine) is None  # the event has an organizer, just not this one
