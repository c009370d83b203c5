"""The server-rendered pages: sign-in, tenancy (another studio's event is a 404) and roles."""
import pytest
from django.test import Client

from events import services
from events.models import Event, EventOrganizer
from core.tenancy.models import User

EVENT_PAGES = ["", "edit/", "delete/", "people/", "sharing/", "analytics/"]


@pytest.fixture
def event(studio_a, alice):
    return services.event_create(studio=studio_a, user=alice, name="Ana & Ben")


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_ask_anonymous_visitors_to_sign_in(event, client):
    for url in ["/", "/events/new/", *[f"/events/{event.id}/{page}" for page in EVENT_PAGES]]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url


def test_sign_in_with_any_case_email(alice, client):
    response = client.post("/login/", {"username": "ALICE@a.example", "password": "pw-alice-123"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Ana" not in client.get("/").content.decode()  # no events yet: the empty state
    assert "Create your first event" in client.get("/").content.decode()


def test_wrong_password_is_a_friendly_error(alice, client):
    response = client.post("/login/", {"username": "alice@a.example", "password": "nope"})
    assert response.status_code == 200 and "don&#x27;t match" in response.content.decode()


def test_another_studio_gets_404_on_every_event_page(event, charlie):
    client = client_as(charlie)
    for page in EVENT_PAGES:
        assert client.get(f"/events/{event.id}/{page}").status_code == 404, page
    assert client.post(f"/events/{event.id}/delete/").status_code == 404
    assert Event.objects.filter(id=event.id).exists()
    assert "Ana &amp; Ben" not in client.get("/").content.decode()


def test_owner_creates_edits_and_deletes(studio_a, alice):
    client = client_as(alice)
    assert "Give the event a name" in client.post("/events/new/", {"name": "  "}).content.decode()
    response = client.post("/events/new/", {"name": "Ana & Ben", "starts_on": "2025-06-14"})
    event = Event.objects.get(studio=studio_a)
    assert response["Location"] == f"/events/{event.id}/"
    client.post(f"/events/{event.id}/edit/", {"name": "Ana & Ben, day 2", "starts_on": ""})
    event.refresh_from_db()
    assert (event.name, event.starts_on) == ("Ana & Ben, day 2", None)
    assert client.post(f"/events/{event.id}/delete/")["Location"] == "/"
    assert not Event.objects.filter(id=event.id).exists()


def test_photographer_cannot_delete_and_viewer_only_looks(event, bob, vera):
    assert client_as(bob).post(f"/events/{event.id}/delete/").status_code == 403
    viewer = client_as(vera)
    page = viewer.get(f"/events/{event.id}/").content.decode()
    assert 'id="upload"' not in page and "Edit event" not in page
    for url in ["/events/new/", f"/events/{event.id}/edit/", f"/events/{event.id}/people/", f"/events/{event.id}/sharing/"]:
        assert viewer.get(url).status_code == 403, url
    assert viewer.get(f"/events/{event.id}/analytics/").status_code == 200


def test_organizer_sees_their_event_with_sharing_but_no_curation(event, studio_a, alice):
    other = services.event_create(studio=studio_a, user=alice, name="Someone else's party")
    organizer = User.objects.create_user(email="ana@example.com", password="pw-ana-123")
    EventOrganizer.objects.create(studio=studio_a, event=event, user=organizer)
    client = client_as(organizer)
    dashboard = client.get("/").content.decode()
    assert "Ana &amp; Ben" in dashboard and "Someone else" not in dashboard and "New event" not in dashboard
    assert client.get(f"/events/{other.id}/").status_code == 404
    page = client.get(f"/events/{event.id}/").content.decode()
    assert 'id="upload"' not in page and f"/events/{event.id}/sharing/" in page and f"/events/{event.id}/people/" not in page
    assert client.get(f"/events/{event.id}/people/").status_code == 403
    assert client.get(f"/events/{event.id}/sharing/").status_code == 200
    assert client.get("/events/new/").status_code == 403
