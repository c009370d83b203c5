"""The people list at scale over the API: filters, name search, paging, per-filter counts and bulk
hide, each with two studios (another studio's people are never listed, counted nor changed)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recognition.models import Person
from tests.factories.events import EventFactory
from tests.recognition.people_helpers import person_in_photos


@pytest.fixture
def wedding(studio_a):
    event = EventFactory(studio=studio_a, name="Wedding")
    people = {
        "ana": person_in_photos(event, name="Ana", photos=1),
        "ben": person_in_photos(event, name="Ben", photos=3, hidden=True),
        "pair": person_in_photos(event, photos=2),
        "once": person_in_photos(event, photos=1),
    }
    return event, people


@pytest.fixture
def other_studio_event(studio_b):
    event = EventFactory(studio=studio_b, name="B's wedding")
    return event, person_in_photos(event, name="Anabel", photos=2)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()]


def test_each_filter_lists_and_counts_its_people(wedding, other_studio_event, as_alice):
    event, p = wedding
    url = f"/api/v1/events/{event.id}/people/"
    assert as_alice.get(f"{url}counts/").json() == {"main": 2, "few": 1, "named": 2, "unnamed": 2, "hidden": 1, "all": 4}
    assert ids(as_alice.get(url, {"filter": "main"})) == [p["pair"].id, p["ana"].id]  # most photographed first
    assert ids(as_alice.get(url, {"filter": "few"})) == [p["once"].id]
    assert ids(as_alice.get(url, {"filter": "named"})) == [p["ben"].id, p["ana"].id]
    assert ids(as_alice.get(url, {"filter": "unnamed"})) == [p["pair"].id, p["once"].id]
    assert ids(as_alice.get(url, {"filter": "hidden"})) == [p["ben"].id]
    everyone = as_alice.get(url)  # no parameters: everyone, unpaged, as before
    assert ids(everyone) == [p["ben"].id, p["pair"].id, p["ana"].id, p["once"].id]
    assert everyone["X-Total-Count"] == "4" and len(everyone.json()[0]["photo_ids"]) == 3
    assert as_alice.get(url, {"filter": "famous"}).status_code == 400


def test_search_finds_names_and_numbers_never_another_studios(wedding, other_studio_event, as_alice):
    event, p = wedding
    url = f"/api/v1/events/{event.id}/people/"
    assert ids(as_alice.get(url, {"q": "AN"})) == [p["ana"].id]  # not B's Anabel
    assert ids(as_alice.get(url, {"q": f"person {p['once'].id}"})) == [p["once"].id]
    assert ids(as_alice.get(url, {"q": str(p["pair"].id), "filter": "main"})) == [p["pair"].id]
    assert ids(as_alice.get(url, {"q": "ben", "filter": "main"})) == []  # hidden: not in the main view
    assert ids(as_alice.get(url, {"ids": f"{p['once'].id},{other_studio_event[1].id}"})) == [p["once"].id]


def test_pages_cover_everyone_once_with_count_and_links(wedding, as_alice):
    event, p = wedding
    for _ in range(5):
        person_in_photos(event, photos=1)
    url = f"/api/v1/events/{event.id}/people/"
    seen, offset = [], 0
    while True:
        page = as_alice.get(url, {"filter": "all", "limit": 3, "offset": offset})
        assert page["X-Total-Count"] == "9"
        seen += ids(page)
        if 'rel="next"' not in page.get("Link", ""):
            break
        assert "offset=" + str(offset + 3) in page["Link"]
        offset += 3
    assert len(seen) == 9 and set(seen) == set(Person.objects.filter(event=event).values_list("id", flat=True))
    assert 'rel="prev"' in as_alice.get(url, {"limit": 3, "offset": 3})["Link"]
    assert as_alice.get(url, {"limit": 0}).status_code == 400 and as_alice.get(url, {"limit": 501}).status_code == 400


def test_a_page_costs_the_same_queries_at_any_size(wedding, as_alice):
    event, _ = wedding
    url = f"/api/v1/events/{event.id}/people/?filter=all&limit=60"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_alice.get(url).status_code == 200
        return len(captured)

    small = queries()
    assert small >= 3  # counted: the session, the event and the people are read
    for _ in range(12):
        person_in_photos(event, photos=2)
    assert queries() == small


def test_bulk_hide_is_one_change_undone_in_one_step(wedding, as_alice):
    event, p = wedding
    chosen = [p["pair"].id, p["once"].id]
    response = as_alice.post(f"/api/v1/events/{event.id}/people/hide/", {"person_ids": chosen, "scope": "people"},
                             format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["hidden"] is True and body["undo"]["label"] == "hid 2 people from guests"
    assert set(Person.objects.filter(hidden=True).values_list("id", flat=True)) == {p["ben"].id, *chosen}
    undone = as_alice.post(f"/api/v1/events/{event.id}/people/undo/", {"action_id": body["undo"]["action_id"]},
                           format="json")
    assert undone.status_code == 200 and undone.json()["label"] == "hid 2 people from guests"
    assert list(Person.objects.filter(hidden=True).values_list("id", flat=True)) == [p["ben"].id]
    shown = as_alice.post(f"/api/v1/events/{event.id}/people/hide/", {"person_ids": [p["ben"].id], "hidden": False},
                          format="json")
    assert shown.json()["undo"]["label"] == "showed Ben to guests" and not Person.objects.filter(hidden=True).exists()


def test_another_studio_can_neither_see_nor_change_them(wedding, other_studio_event, as_alice, as_charlie, as_vera):
    event, p = wedding
    theirs, anabel = other_studio_event
    for path in ("people/", "people/counts/", "people/?filter=main&q=ana&limit=5"):
        assert as_charlie.get(f"/api/v1/events/{event.id}/{path}").status_code == 404
    assert as_charlie.post(f"/api/v1/events/{event.id}/people/hide/", {"person_ids": [p["ana"].id]},
                           format="json").status_code == 404
    # A's ids sent to B's own event, and B's id mixed into A's request: 404, and nothing changes.
    assert as_charlie.post(f"/api/v1/events/{theirs.id}/people/hide/", {"person_ids": [p["ana"].id]},
                           format="json").status_code == 404
    assert as_alice.post(f"/api/v1/events/{event.id}/people/hide/", {"person_ids": [p["ana"].id, anabel.id]},
                         format="json").status_code == 404
    assert not Person.objects.filter(id__in=[p["ana"].id, anabel.id], hidden=True).exists()
    assert as_charlie.get(f"/api/v1/events/{theirs.id}/people/counts/").json()["all"] == 1
    # A viewer of studio A may list people but not hide them.
    assert as_vera.get(f"/api/v1/events/{event.id}/people/?filter=main").status_code == 200
    assert as_vera.post(f"/api/v1/events/{event.id}/people/hide/", {"person_ids": [p["ana"].id]},
                        format="json").status_code == 403
