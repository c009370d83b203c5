"""Issue #20: every guest page passes axe-core (no serious or critical violation) in light and dark
mode, on a 390 px phone, with screenshots at 390 and 1440 px (test-artifacts/screenshots/); the
page language follows Accept-Language and the switcher; dark mode on guest and studio pages."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.guest_steps import enter_gallery, event_with_photos, serious_violations


def _guest_pages(page, live_server, link) -> list[tuple[str, str]]:
    """(name, url) of every guest page, visited in order so each one is reachable."""
    pinned, album = link(scope="selfie", pin="2468"), link(scope="event")
    pages = [("guest-code", "/s/"), ("guest-unknown", "/s/not-a-real-token-at-all"),
             ("guest-landing", pinned.url), ("guest-pin", f"{pinned.url}/pin")]
    page.goto(f"{pinned.url}/pin")
    page.get_by_label("PIN").fill("2468")
    page.get_by_role("button", name="Continue").click()
    pages.append(("guest-consent", page.url))
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Agree and continue").click()
    page.wait_for_url(re.compile(r"/selfie$"))
    pages.append(("guest-selfie", page.url))
    enter_gallery(page, album.url)
    pages.append(("guest-photos", page.url))
    page.locator("#grid a.tile").first.click()
    page.wait_for_url(re.compile(r"/photos/\d+$"))
    pages += [("guest-viewer", page.url), ("guest-forget", f"{album.url}/forget")]
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_guest_page_passes_axe(live_server, new_page, shot, scheme):
    _event, link = event_with_photos(live_server)
    page = new_page("guest-phone", color_scheme=scheme)
    pages = _guest_pages(page, live_server, link)
    wide = new_page("wide", color_scheme=scheme)
    wide.context.add_cookies(page.context.cookies())
    found = {}
    for name, url in pages:
        page.goto(url)
        found.update({name: problems for problems in [serious_violations(page)] if problems})
        if scheme == "light":
            shot(page, name)
            wide.goto(url)
            shot(wide, name)
    assert not found, found


@pytest.mark.parametrize("accept, language, start", [("fr-FR", "fr", "Commencer"), ("de-DE", "de", "Los geht"),
                                                      ("es-ES", "es", "Empezar")])
def test_the_browser_language_is_the_page_language(live_server, new_page, accept, language, start):
    _event, link = event_with_photos(live_server)
    page = new_page("guest-phone", locale=accept)
    page.goto(link().url)
    assert page.locator("html").get_attribute("lang") == language
    expect(page.get_by_role("link", name=re.compile(start))).to_be_visible()


def test_the_language_switch_is_remembered(live_server, new_page, shot):
    _event, link = event_with_photos(live_server)
    page = new_page("guest-phone", locale="fr-FR")
    enter_gallery_url = link().url
    page.goto(enter_gallery_url)
    page.get_by_role("button", name="Deutsch").click()
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_role("link", name=re.compile("Los geht")).click()
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Zustimmen und weiter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.get_by_text(re.compile(r"3 Fotos\."))).to_be_visible()
    shot(page, "guest-photos-de")


def _background_luminance(page) -> float:
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_mode_on_guest_and_studio_pages(live_server, new_page, shot):
    _event, link = event_with_photos(live_server)
    dark, light = new_page("guest-phone", color_scheme="dark"), new_page("guest-phone", color_scheme="light")
    for page in (dark, light):
        page.goto(link().url)
    assert _background_luminance(dark) < 0.1 < 0.8 < _background_luminance(light)
    shot(dark, "guest-landing-dark")
    dark.goto("/login/")
    light.goto("/login/")
    assert _background_luminance(dark) < 0.1 < 0.8 < _background_luminance(light)
    shot(dark, "studio-login-dark")
