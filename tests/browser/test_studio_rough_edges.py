"""Issue #19's rough edges of the studio pages in Chromium at 390 and 1440 px (the lightbox's
are in test_lightbox_phone.py): every event tab label shows in full and the top bar is one row."""
import pytest
from playwright.sync_api import expect

from core.tenancy.services import studio_create
from events import services as event_services
from tests.browser.helpers import login, ready

SIZES = {"guest-phone": 844, "wide": 900}


@pytest.fixture
def owner_event(live_server):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Penny & Leonard")
    return event, owner


@pytest.mark.parametrize("size", SIZES)
def test_event_tabs_show_full_labels_and_the_top_bar_is_one_row(owner_event, new_page, shot, size):
    event, _ = owner_event
    page = new_page(size)
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/")
    ready(page)
    shot(page, "event-tabs")
    labels = page.locator("nav.tabs a")
    assert "Removal requests" in labels.all_inner_texts()
    for label in labels.all():
        clipped = label.evaluate("a => [a.scrollWidth > a.clientWidth, a.textContent.trim()]")
        assert not clipped[0], f"{clipped[1]!r} is clipped"
        box = label.bounding_box()  # on screen, not scrolled out of reach
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], (clipped[1], box)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    bar = page.locator("header.topbar").bounding_box()
    assert bar["height"] <= 64, bar  # one row: 60 px and its border
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()



def test_analytics_speaks_of_people_found_and_named_without_latency(owner_event, new_page):
    from recognition.models import Person, SearchLog

    event, _ = owner_event
    Person.objects.create(studio=event.studio, event=event, name="Penny")
    Person.objects.create(studio=event.studio, event=event)
    for _ in range(3):
        SearchLog.objects.create(studio=event.studio, event=event, search_ms=36.3, matches=2)
    page = new_page("wide")
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/analytics/")
    ready(page)
    tiles = page.locator("[data-role=tiles]")
    expect(tiles.locator("[data-tile=searches]")).to_have_text("3")
    expect(tiles.locator("[data-tile=people]")).to_have_text("2 · 1 named")
    expect(tiles).to_contain_text("People found")
    text = page.locator("main").inner_text()
    assert " ms" not in text and "p95" not in text and "known" not in text.lower(), text
