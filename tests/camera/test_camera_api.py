"""The camera-upload endpoints: who may read, rotate and switch (role × action, two studios), the
password shown once and kept only as a hash, and the answer's shape as documented."""
import pytest
from django.contrib.auth.hashers import check_password

from camera.models import CameraAccount
from core.tenancy.models import Role
from core.tenancy.services import membership_add
from events.services import event_create
from sharing.services.organizers import organizer_invite
from tests.factories import client_for


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Wedding")


@pytest.fixture
def callers(event, studio_a, alice, bob, vera, charlie):
    admin = membership_add(studio=studio_a, email="ada@a.example", password="pw-ada-123", role=Role.ADMIN).user
    organizer = organizer_invite(event=event, email="olga@client.example", invited_by=alice,
                                 base_url="http://testserver").user
    return {"owner": alice, "admin": admin, "photographer": bob, "viewer": vera, "organizer": organizer,
            "other studio's owner": charlie}


# role → (GET, POST rotate, PATCH switch) statuses; another studio's owner gets the 404 of a missing event.
TABLE = {
    "owner": (200, 200, 200),
    "admin": (200, 200, 200),
    "photographer": (200, 200, 403),
    "viewer": (403, 403, 403),
    "organizer": (403, 403, 403),
    "other studio's owner": (404, 404, 404),
}


@pytest.mark.parametrize("who", TABLE)
def test_who_may_read_rotate_and_switch_camera_upload(who, callers, event):
    client, url = client_for(callers[who]), f"/api/v1/events/{event.id}/camera-upload/"
    answers = (client.get(url).status_code, client.post(url + "rotate/").status_code,
               client.patch(url, {"enabled": False}, format="json").status_code)
    assert answers == TABLE[who]
    if TABLE[who][2] != 200:
        assert CameraAccount.objects.filter(event=event, enabled=False).count() == 0


def test_the_password_is_shown_once_and_kept_only_as_a_hash(as_bob, event, settings):
    settings.VISAGE_FTP_PUBLIC_HOST, settings.VISAGE_FTP_PUBLIC_PORT = "photos.example.com", 21
    url = f"/api/v1/events/{event.id}/camera-upload/"
    before = as_bob.get(url).json()
    assert before["password"] is None and before["has_password"] is False and before["enabled"] is True
    rotated = as_bob.post(url + "rotate/").json()
    assert rotated["username"] == before["username"] and len(rotated["password"]) == 19
    assert rotated["host"] == "photos.example.com" and rotated["port"] == 21 and rotated["tls"] == "off"
    assert rotated["uri"] == f"ftp://{rotated['username']}@photos.example.com:21/"
    account = CameraAccount.objects.get(event=event)
    assert rotated["password"] not in account.password_hash and check_password(rotated["password"], account.password_hash)
    after = as_bob.get(url).json()
    assert after["password"] is None and after["has_password"] is True
    again = as_bob.post(url + "rotate/").json()
    assert again["password"] != rotated["password"]
    assert not check_password(rotated["password"], CameraAccount.objects.get(event=event).password_hash)


def test_switching_off_and_on_by_patch_or_post(as_alice, event):
    url = f"/api/v1/events/{event.id}/camera-upload/"
    assert as_alice.patch(url, {"enabled": False}, format="json").json()["enabled"] is False
    assert as_alice.get(url).json()["enabled"] is False
    assert as_alice.post(url, {"enabled": True}, format="json").json()["enabled"] is True
    bad = as_alice.patch(url, {"enabled": "maybe"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_the_host_defaults_to_the_requests_own(as_alice, event, settings):
    settings.ALLOWED_HOSTS = ["visage.example"]
    body = as_alice.get(f"/api/v1/events/{event.id}/camera-upload/", HTTP_HOST="visage.example:8000").json()
    assert body["host"] == "visage.example" and body["port"] == 2121


def test_a_retried_rotation_never_replays_the_password_nor_rotates_again(as_alice, event):
    url = f"/api/v1/events/{event.id}/camera-upload/rotate/"
    first = as_alice.post(url, HTTP_IDEMPOTENCY_KEY="rotate-1")
    password = first.json()["password"]
    retry = as_alice.post(url, HTTP_IDEMPOTENCY_KEY="rotate-1")
    assert retry.status_code == 409 and retry.json()["error"]["code"] == "secret_not_replayable"
    assert password not in retry.content.decode()
    assert check_password(password, CameraAccount.objects.get(event=event).password_hash)  # still the one shown
