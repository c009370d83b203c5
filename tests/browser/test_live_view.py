"""The photographer's live view: with the event page open, photos arrive through the REST API, a hot
folder (the API with its header), the page's own uploader — one of them a HEIC from a phone — and
a file that is not a photo; the page shows each with its source, the counts and the refusal's
reason without a reload. Screenshots at 390 and 1440 px; axe-core finds no serious or critical
violation (light at 1440 px, dark at 390 px)."""
import re

import requests
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from core.tenancy.services import studio_create
from events import services as event_services
from tests.browser.guest_steps import serious_violations
from tests.browser.helpers import login, ready
from tests.factories import FACES_DIR
from tests.heic import heic_bytes

PORTRAITS = FACES_DIR / "portraits"


def _api_upload(live_server, token: str, event_id: int, files: list[tuple[str, bytes]], **headers) -> dict:
    response = requests.post(f"{live_server.url}/api/v1/events/{event_id}/photos/",
                             headers={"Authorization": f"Token {token}", **headers},
                             files=[("files", (name, data)) for name, data in files], timeout=120)
    assert response.status_code in (201, 400), response.text
    return response.json()


def test_live_view_shows_arrivals_from_every_source_without_reload(live_server, new_page, shot, tmp_path):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Penny & Leonard's wedding")
    token = Token.objects.create(user=owner).key
    page = new_page("wide")
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/")
    ready(page)
    live = page.locator("#live")
    expect(live).to_have_attribute("data-live-ready", "true")
    expect(live.get_by_role("status")).to_have_text("Waiting for photos…")
    page.evaluate("window.__sameDocument = 'still here'")  # gone if the page reloads

    _api_upload(live_server, token, event.id, [("obama.jpg", (PORTRAITS / "obama.jpg").read_bytes())])
    refused = _api_upload(live_server, token, event.id, [
        ("IMG_0002.HEIC", heic_bytes(PORTRAITS / "obama2.jpg")), ("notes.txt", b"call the florist at 9")],
        **{"X-Upload-Source": "hot-folder"})
    reason = next(r["reason"] for r in refused["results"] if r["filename"] == "notes.txt")
    biden = tmp_path / "biden.jpg"
    biden.write_bytes((PORTRAITS / "biden.jpg").read_bytes())
    page.locator("#upload-input").set_input_files(str(biden))  # the page's own uploader: source "web"

    arrivals = live.locator("[data-role='arrivals'] .live-item")
    expect(arrivals).to_have_count(3)
    for name, source in (("obama.jpg", "API"), ("IMG_0002.HEIC", "Hot folder"), ("biden.jpg", "Web")):
        item = arrivals.filter(has_text=name)
        expect(item.locator(".live-item__source")).to_have_text(source)
        expect(item.locator(".live-item__state")).to_have_text("Done")
    expect(live.locator("[data-count='done']")).to_have_text("3")
    expect(live.locator("[data-count='rejected']")).to_have_text("1")
    expect(live.get_by_role("status")).to_have_text(
        "3 photos: 0 queued, 0 processing, 3 done, 0 failed · 1 file refused")
    expect(live.locator("[data-role='sources']")).to_have_text("Web: 1 · API: 1 · Hot folder: 1")
    problem = live.locator("[data-role='problems'] .live-item")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("notes.txt")
    expect(problem.locator(".live-item__source")).to_have_text("Hot folder")
    expect(problem.locator(".live-item__reason")).to_have_text(re.sub(r"^notes\.txt: ", "", reason))
    expect(arrivals.filter(has_text="IMG_0002.HEIC").locator("img")).to_have_count(1)  # its thumbnail
    assert page.evaluate("window.__sameDocument") == "still here"

    live.scroll_into_view_if_needed()
    shot(page, "event-live")
    assert serious_violations(page) == []

    phone = new_page("guest-phone", color_scheme="dark")
    login(phone, "ana@lumen.example", "pw-ana-123")
    phone.goto(f"/events/{event.id}/")
    ready(phone)
    expect(phone.locator("#live [data-role='arrivals'] .live-item")).to_have_count(3)
    expect(phone.locator("#live [data-role='problems'] .live-item__reason")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "event-live-dark")
    assert serious_violations(phone) == []

    # A burst larger than the list: the newest 12 are shown and the note says how many there are.
    from tests.events.test_live_view import _bulk_photos

    _bulk_photos(event.id, studio.id, 20, start=100)
    expect(phone.locator("#live [data-role='arrivals'] .live-item")).to_have_count(12)
    expect(phone.locator("#live [data-role='arrivals-more']")).to_have_text(
        "Latest 12 of 23 photos: the gallery below has them all")
    expect(phone.locator("#live [data-count='failed']")).to_have_text("2")  # 2 of the 20 rows are failed
    expect(phone.locator("#live [data-role='problems'] .live-item")).to_have_count(3)
    expect(phone.locator("#live [data-role='problems-more']")).to_be_hidden()
