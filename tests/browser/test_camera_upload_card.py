"""The event page's camera upload card in a real browser: the settings and QR code, a new password
on its own page with a working Copy button, and the owner's switch; no script error, no CSP breach."""
import pytest
from playwright.sync_api import expect

from events.services import event_create
from tests.browser.helpers import login


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_owner_makes_a_camera_password_copies_it_and_turns_camera_upload_off(size, new_page, shot, studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Harbour wedding")
    page = new_page(size, permissions=["clipboard-read", "clipboard-write"])
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    login(page, "alice@a.example", "pw-alice-123")
    page.goto(f"/events/{event.id}/")
    card = page.locator("#camera-upload")
    expect(card.get_by_role("heading", name="Camera upload (FTP)")).to_be_visible()
    assert "Port: 2121" in card.locator("textarea").input_value()
    assert card.locator("img.camera-upload__qr").evaluate("img => img.naturalWidth") > 0
    shot(page, "camera-upload-card")

    card.get_by_role("button", name="Make a password").click()
    settings_block = page.locator("#camera-password textarea")
    expect(settings_block).to_contain_text("Password: ")
    page.locator("#camera-password").get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Camera settings copied")).to_be_visible()
    assert "Password: " in page.evaluate("navigator.clipboard.readText()")
    shot(page, "camera-upload-password")

    page.get_by_role("link", name="Back to the event").click()
    page.locator("#camera-upload").get_by_role("button", name="Turn camera upload off").click()
    expect(page.locator("#camera-upload").get_by_role("button", name="Turn camera upload on")).to_be_visible()
    assert violations == []
