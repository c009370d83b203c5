"""The studio's API keys page: owners and admins create (key shown once), list and revoke."""
import re

import pytest

from core.tenancy.models import StudioApiKey
from tests.api.helpers import key_client, new_key

PAGE = "/studio/api-keys/"


@pytest.fixture
def alice_browser(client, alice):
    client.force_login(alice)
    return client


def test_create_shows_the_key_once_and_it_works(alice_browser, studio_a):
    assert b'href="/studio/settings/">Studio</a>' in alice_browser.get("/").content  # an owner's way to the studio's pages
    assert b"API keys</a>" in alice_browser.get("/studio/settings/").content
    response = alice_browser.post(PAGE, {"name": "Uploader PC", "scope": "upload"})
    assert response.status_code == 201
    key = re.search(r'data-role="key-value">(vk_[^<]+)</code>', response.content.decode()).group(1)
    assert key_client(key).get("/api/v1/events/").status_code == 200
    assert StudioApiKey.objects.get().name == "Uploader PC"

    again = alice_browser.get(PAGE).content.decode()
    assert "Uploader PC" in again and key not in again and f"vk_{key.split('_')[1]}_…" in again


def test_revoke_from_the_page_stops_the_key(alice_browser, studio_a, alice):
    api_key, secret = new_key(studio_a, "full", by=alice, name="Old plug-in")
    response = alice_browser.post(f"{PAGE}{api_key.id}/revoke/", follow=True)
    assert "revoked" in response.content.decode() and response.redirect_chain[-1][0] == PAGE
    assert key_client(secret).get("/api/v1/events/").status_code == 401


def test_members_and_other_studios_are_turned_away(client, bob, charlie, studio_a, alice):
    api_key, secret = new_key(studio_a, "full", by=alice)
    client.force_login(bob)
    assert b"/studio/settings/" not in client.get("/").content and b"API keys</a>" not in client.get("/studio/team/").content
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "x", "scope": "full"}).status_code == 403
    client.force_login(charlie)
    assert client.post(f"{PAGE}{api_key.id}/revoke/").status_code == 404
    assert key_client(secret).get("/api/v1/events/").status_code == 200
    assert StudioApiKey.objects.count() == 1
