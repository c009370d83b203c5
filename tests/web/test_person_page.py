"""One person's page: the album e-mail field says who the link may go to (the API refuses other
addresses), instead of suggesting a guest's address."""
import re

from django.core import mail

from tests.factories.events import EventFactory
from tests.recognition.people_helpers import person_in_photos


def test_album_email_field_names_who_it_may_go_to(studio_a, client, alice):
    event = EventFactory(studio=studio_a, name="Wedding")
    person = person_in_photos(event, name="Ana", photos=2)
    client.force_login(alice)
    html = client.get(f"/events/{event.id}/people/{person.id}/").content.decode()
    field = re.search(r'<input type="email" id="album-email"[^>]*>', html).group(0)
    assert 'placeholder="alice@a.example"' in field and "guest@" not in html
    help_text = re.search(r'<p[^>]*id="album-email-help"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "only to you, a member of\n        the studio or an organizer of this event" in help_text
    assert f'href="/events/{event.id}/sharing/"' in help_text

    refused = client.post(f"/api/v1/people/{person.id}/album/email/", {"email": "guest@example.com"},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "recipient_not_allowed"
    sent = client.post(f"/api/v1/people/{person.id}/album/email/", {"email": "alice@a.example"},
                       content_type="application/json")
    assert sent.status_code == 202 and mail.outbox[-1].to == ["alice@a.example"]
