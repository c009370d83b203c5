"""Issue #20: the studio's photo lightbox on a 390×844 phone keeps its buttons on screen for a
tall photo (the photo shrinks; the wrapped bar of title, download and close stays visible)."""
from playwright.sync_api import expect

from events import services as event_services
from tests.browser.guest_steps import tall_photo
from tests.browser.helpers import login, ready
from core.tenancy.services import studio_create


def test_lightbox_buttons_stay_on_screen_for_a_tall_photo(live_server, new_page, shot):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Tall photos")
    event_services.photos_upload(event=event, user=owner, files=[tall_photo()])
    page = new_page("guest-phone")
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/")
    ready(page)
    page.locator(".gallery .photo__open").first.click()
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    page.locator("[data-role=lightbox-img]").evaluate("img => img.decode()")
    shot(page, "studio-lightbox-tall")
    scroll, visible, bottom = dialog.evaluate("d => [d.scrollHeight, d.clientHeight, d.getBoundingClientRect().bottom]")
    assert scroll <= visible, (scroll, visible)  # nothing hidden below the dialog's edge
    for control in (dialog.get_by_role("button", name="Close"), dialog.get_by_role("link", name="Download original")):
        box = control.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= min(bottom, 844), (box, bottom)
