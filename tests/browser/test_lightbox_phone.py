"""Issues #19 and #20: the studio's photo lightbox keeps its buttons on screen for a tall photo
(the photo shrinks to fit; the wrapped bar of title, download and close stays visible), on a
390×844 phone and a 1440×900 desktop, with biden.jpg (970×2204) and a 600×1500 phone portrait."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from core.tenancy.services import studio_create
from events import services as event_services
from tests.browser.guest_steps import tall_photo
from tests.browser.helpers import login, ready

BIDEN = Path(__file__).resolve().parents[3] / "shared" / "data" / "faces" / "portraits" / "biden.jpg"
HEIGHTS = {"guest-phone": 844, "wide": 900}


@pytest.mark.parametrize("size", HEIGHTS)
@pytest.mark.parametrize("photo", ["biden", "portrait"])
def test_lightbox_buttons_stay_on_screen_for_a_tall_photo(live_server, new_page, shot, size, photo):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Tall photos")
    upload = SimpleUploadedFile("biden.jpg", BIDEN.read_bytes()) if photo == "biden" else tall_photo()
    event_services.photos_upload(event=event, user=owner, files=[upload])
    page = new_page(size)
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/")
    ready(page)
    page.locator(".gallery .photo__open").first.click()
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    image = page.locator("[data-role=lightbox-img]")
    image.evaluate("img => img.decode()")
    shot(page, f"studio-lightbox-{photo}")
    scroll, visible, bottom = dialog.evaluate("d => [d.scrollHeight, d.clientHeight, d.getBoundingClientRect().bottom]")
    assert scroll <= visible, (scroll, visible)  # nothing hidden below the dialog's edge
    screen_bottom = min(bottom, HEIGHTS[size])
    box = image.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= screen_bottom, box  # the whole photo fits
    for control in (dialog.get_by_role("button", name="Close"), dialog.get_by_role("link", name="Download original")):
        box = control.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= screen_bottom, (box, bottom)
