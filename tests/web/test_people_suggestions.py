"""The people page carries the "Are these the same person?" section and the API routes its
script calls, for this event only (another studio's curator gets a 404 for both)."""
from django.test import Client

from events import services


def test_the_people_page_offers_suggestions_of_its_own_event(studio_a, alice, charlie):
    event = services.event_create(studio=studio_a, user=alice, name="Ana & Ben")
    owner = Client()
    owner.force_login(alice)
    page = owner.get(f"/events/{event.id}/people/").content.decode()
    assert "Are these the same person?" in page and 'id="suggestion-card"' in page
    for route in ("suggestions/", "suggestions/dismiss/", "suggestions/restore/"):
        assert f'"/api/v1/events/{event.id}/people/{route}"' in page
    assert owner.get(f"/api/v1/events/{event.id}/people/suggestions/").json() == []

    stranger = Client()
    stranger.force_login(charlie)
    assert stranger.get(f"/events/{event.id}/people/").status_code == 404
    assert stranger.get(f"/api/v1/events/{event.id}/people/suggestions/").status_code == 404
