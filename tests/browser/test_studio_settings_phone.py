"""The studio settings pages (API keys, webhooks) on a 375 px phone: nothing pushes the page
sideways (long tables scroll in their own box), and a secret shown once fits on the screen."""
from playwright.sync_api import expect

from core.tenancy.api_keys import api_key_create
from core.tenancy.services import studio_create
from tests.browser.helpers import login

WIDTH = 375


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_owner_manages_keys_and_webhooks_on_a_phone(new_page, shot):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    api_key_create(studio=studio, name="Lightroom plug-in for the second shooter", scope="upload", created_by=owner)
    page = new_page("phone")
    page.goto("/login/")
    login(page, "ana@lumen.example", "pw-ana-123")

    page.get_by_role("link", name="Studio", exact=True).click()  # the studio's pages: settings, team, webhooks, keys
    _fits(page)
    page.get_by_role("link", name="API keys").click()
    expect(page.get_by_text("Lightroom plug-in for the second shooter")).to_be_visible()
    _fits(page)

    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Endpoint URL").fill("http://127.0.0.1:9/hooks/visage")
    page.get_by_role("button", name="Add webhook").click()
    secret = page.locator("[data-role=new-secret] code")
    expect(secret).to_contain_text("whsec_")
    shot(page, "webhook-added")
    _fits(page)
    box = secret.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
