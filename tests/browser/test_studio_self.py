"""Issue #19, the studio runs itself, in Chromium at 390 px and 1440 px: reset a forgotten password by
e-mail, and invite a second shooter who chooses a password and signs in. Screenshots at every step
(test-artifacts/screenshots), axe-core on each page (no serious or critical violation)."""
import re

import pytest
from playwright.sync_api import expect

from core.tenancy.services import studio_create
from tests.browser.guest_steps import serious_violations
from tests.browser.helpers import login

SIZES = ["guest-phone", "wide"]  # 390×844 and 1440×900
RESET_LINK = re.compile(r"https?://[^/\s]+(/password-reset/\S+/\S+/)")
INVITE_LINK = re.compile(r"https?://[^/\s]+(/invitation/\S+/\S+/)")


def _checked(page, shot, name: str) -> None:
    shot(page, name)
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], name


@pytest.mark.parametrize("size", SIZES)
def test_reset_a_password(new_page, shot, mailoutbox, size):
    studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="old-pass-123")
    page = new_page(size)
    page.goto("/login/")
    page.get_by_role("link", name="Forgot password?").click()
    _checked(page, shot, "reset-ask")
    page.get_by_label("Email").fill("ana@lumen.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _checked(page, shot, "reset-sent")

    (mail,) = mailoutbox
    page.goto(RESET_LINK.search(mail.body).group(1))
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Repeat the new password").fill("other")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("didn’t match")).to_be_visible()  # a sentence under the field, named by its label
    _checked(page, shot, "reset-error")
    page.get_by_label("New password", exact=True).fill("a-new-long-pass-42")
    page.get_by_label("Repeat the new password").fill("a-new-long-pass-42")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Password saved")).to_be_visible()
    _checked(page, shot, "reset-done")
    login(page, "ana@lumen.example", "a-new-long-pass-42")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # signed in, on the dashboard


@pytest.mark.parametrize("size", SIZES)
def test_invite_a_team_member(new_page, shot, mailoutbox, size):
    studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    page = new_page(size)
    login(page, "ana@lumen.example", "pw-ana-123")
    page.get_by_role("link", name="Studio", exact=True).click()
    expect(page.get_by_role("heading", name="Studio settings")).to_be_visible()
    _checked(page, shot, "studio-settings")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Team").click()
    page.get_by_label("Email").fill("sam@shooters.example")
    page.get_by_role("radio", name=re.compile("^Photographer")).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to sam@shooters.example")).to_be_visible()
    row = page.locator("tr[data-member='sam@shooters.example']")
    expect(row.get_by_text("invited")).to_be_visible()
    _checked(page, shot, "team-invited")

    (mail,) = mailoutbox
    assert "Lumen Weddings" in mail.subject
    guest = new_page(size)
    guest.goto(INVITE_LINK.search(mail.body).group(1))
    expect(guest.get_by_role("heading", name="Join Lumen Weddings")).to_be_visible()
    _checked(guest, shot, "invitation")
    guest.get_by_label("New password", exact=True).fill("sam-chooses-42x")
    guest.get_by_label("Repeat the new password").fill("sam-chooses-42x")
    guest.get_by_role("button", name="Save password").click()
    expect(guest.get_by_role("heading", name="Password saved")).to_be_visible()
    login(guest, "sam@shooters.example", "sam-chooses-42x")
    expect(guest.get_by_role("button", name="Sign out")).to_be_visible()

    page.reload()
    expect(page.locator("tr[data-member='sam@shooters.example']").get_by_text("invited")).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("color", ["#ffcc00", "#0f766e"])  # a light colour gets black text, a dark one white
def test_guest_pages_wear_the_studios_colour_and_logo(new_page, shot, size, color):
    from events import services as event_services
    from sharing.services.links import share_link_create
    from sharing.services.studio_settings import studio_logo_set, studio_settings_update
    from tests.factories import png_bytes

    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    studio_settings_update(studio=studio, brand_color=color)
    studio_logo_set(studio=studio, content=png_bytes(120, 40, mode="RGB"))
    event = event_services.event_create(studio=studio, user=owner, name="Ana & Ben")
    created = share_link_create(event=event, user=owner, base_url="http://testserver", scope="event")
    page = new_page(size)
    page.goto(f"/s/{created.token}/consent")
    bar = page.locator("header.guest-bar.is-branded")
    expect(bar).to_be_visible()
    hex_of = "c => '#' + c.match(/\\d+/g).slice(0, 3).map(n => (+n).toString(16).padStart(2, '0')).join('')"
    assert page.evaluate(f"({hex_of})(getComputedStyle(document.querySelector('header.guest-bar')).backgroundColor)") == color
    logo = page.get_by_role("img", name="Lumen Weddings")
    expect(logo).to_be_visible()
    assert page.evaluate("document.querySelector('.guest-bar__logo').naturalWidth") == 120
    _checked(page, shot, f"guest-branded-{color[1:]}")
