"""The People page, server-rendered a page at a time: the default view (named or 2+ photos), the rest
one click away, filters with counts, name search, pages, and a cost that does not grow with the event."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.events import EventFactory
from tests.recognition.people_helpers import person_in_photos


@pytest.fixture
def event(studio_a):
    event = EventFactory(studio=studio_a, name="Wedding")
    person_in_photos(event, name="Ana", photos=1)
    person_in_photos(event, photos=3)
    person_in_photos(event, name="Hidden Hugo", photos=2, hidden=True)
    for _ in range(3):
        person_in_photos(event, photos=1)
    return event


def cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-person-id="(\d+)"', html)]


def test_default_view_shows_named_and_2_plus_and_links_the_rest(event, client, alice):
    client.force_login(alice)
    html = client.get(f"/events/{event.id}/people/").content.decode()
    assert len(cards(html)) == 2 and "Ana" in html and "Hidden Hugo" not in html
    assert re.search(r'href="\?filter=few"[^>]*>and 3 more seen in one photo', html)
    assert re.search(r'data-filter="hidden">Hidden <span class="people-filters__count">1</span>', html)
    assert len(cards(client.get(f"/events/{event.id}/people/?filter=few").content.decode())) == 3
    assert len(cards(client.get(f"/events/{event.id}/people/?filter=all").content.decode())) == 6
    hidden = client.get(f"/events/{event.id}/people/?filter=hidden").content.decode()
    assert cards(hidden) and "Show Hidden Hugo to guests" in hidden


def test_search_and_pages_keep_the_filter(event, client, alice, monkeypatch):
    client.force_login(alice)
    html = client.get(f"/events/{event.id}/people/?q=hug&filter=all").content.decode()
    assert len(cards(html)) == 1 and "matching “hug”" in html
    nobody = client.get(f"/events/{event.id}/people/?q=hug").content.decode()
    assert not cards(nobody) and "Search everyone" in nobody
    monkeypatch.setattr("web.views.people.PAGE_SIZE", 4)
    first = client.get(f"/events/{event.id}/people/?filter=all").content.decode()
    assert len(cards(first)) == 4 and 'href="?filter=all&amp;page=2"' in first and "Page 1 of 2" in first
    second = client.get(f"/events/{event.id}/people/?filter=all&page=2").content.decode()
    assert len(cards(second)) == 2 and not set(cards(first)) & set(cards(second))


def test_the_page_costs_the_same_queries_at_any_size(event, client, alice):
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/events/{event.id}/people/?filter=all").status_code == 200
        return len(captured)

    small = queries()
    assert small >= 3  # counted: the session, the event and the people are read
    for _ in range(15):
        person_in_photos(event, photos=2)
    assert queries() == small


def test_another_studio_gets_a_404(event, client, charlie):
    client.force_login(charlie)
    assert client.get(f"/events/{event.id}/people/?filter=all&q=ana").status_code == 404
