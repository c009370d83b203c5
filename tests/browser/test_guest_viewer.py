"""Issue #20 on a 390×844 phone: the guest photo viewer (tap, arrow keys, swipe, back to the
tile), its buttons on screen for a tall photo, downloads and share per link, visible focus."""
import re

from playwright.sync_api import expect

from tests.browser.guest_steps import SHARE_STUB, enter_gallery, event_with_photos, shared_count, swipe


def test_viewer_swipe_keys_and_back_on_a_phone(live_server, new_page, shot):
    _event, link = event_with_photos(live_server)
    page = new_page("guest-phone")
    enter_gallery(page, link().url)
    tiles = page.locator("#grid a.tile")
    expect(tiles).to_have_count(3)
    ids = [int(re.search(r"/photos/(\d+)$", href).group(1)) for href in tiles.evaluate_all("els => els.map(e => e.href)")]

    page.keyboard.press("Tab")  # the focus ring of a tile is visible (the tile's figure clipped it before)
    tiles.first.focus()
    ring = tiles.first.evaluate("a => [getComputedStyle(a).outlineStyle, getComputedStyle(a).outlineWidth]")
    assert ring[0] == "solid" and float(ring[1].rstrip("px")) >= 2, ring

    tiles.first.click()
    page.wait_for_url(f"**/photos/{ids[0]}")
    shot(page, "guest-viewer")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"**/photos/{ids[1]}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"**/photos/{ids[0]}")
    swipe(page, -160)  # finger right to left: the next photo
    page.wait_for_url(f"**/photos/{ids[1]}")
    swipe(page, -160)
    page.wait_for_url(f"**/photos/{ids[2]}")  # the tall one
    for control in (page.get_by_role("link", name="Download"), page.get_by_role("link", name="Previous photo"),
                    page.get_by_role("link", name="All photos")):
        box = control.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, box  # on screen, not cut off
    image = page.locator(".viewer__img").bounding_box()
    assert image["y"] + image["height"] <= page.locator(".viewer__bar").bounding_box()["y"] + 1
    shot(page, "guest-viewer-tall")
    swipe(page, 160)
    page.wait_for_url(f"**/photos/{ids[1]}")

    page.get_by_role("link", name="All photos").click()
    page.wait_for_url(f"**/photos#photo-{ids[1]}")
    expect(page.locator(f"#photo-{ids[1]}")).to_be_in_viewport()


def test_viewer_share_sheet_save_all_and_downloads_per_link(live_server, new_page):
    _event, link = event_with_photos(live_server)
    plain = new_page("guest-phone")  # Chromium on Linux cannot share files: no share button, the zip stays
    enter_gallery(plain, link().url)
    expect(plain.locator("#save-all")).to_be_hidden()
    expect(plain.get_by_role("link", name="Download all (zip)")).to_be_visible()
    plain.locator("#grid a.tile").first.click()
    expect(plain.get_by_role("link", name="Download")).to_be_visible()
    expect(plain.locator("#share")).to_be_hidden()

    phone = new_page("guest-phone")
    phone.add_init_script(SHARE_STUB)
    enter_gallery(phone, link().url)
    phone.get_by_role("button", name="Save all to your phone").click()
    shared = shared_count(phone, 1)[0]
    assert len(shared) == 3 and {s.split(":")[1] for s in shared} <= {"image/png", "image/jpeg"}, shared
    phone.locator("#grid a.tile").first.click()
    share = phone.get_by_role("button", name="Share")
    expect(share).to_be_enabled()
    share.click()
    assert shared_count(phone, 1)[0][0].startswith("penny1.png:image/png:")  # a new page: a fresh stub

    locked = new_page("guest-phone")
    locked.add_init_script(SHARE_STUB)
    enter_gallery(locked, link(download="none").url)
    expect(locked.get_by_text("Downloads are turned off for this link")).to_be_visible()
    expect(locked.locator("#save-all")).to_have_count(0)
    locked.locator("#grid a.tile").first.click()
    expect(locked.get_by_text("Downloads are turned off for this link.")).to_be_visible()
    expect(locked.get_by_role("link", name="Download")).to_have_count(0)
    expect(locked.locator("#share")).to_have_count(0)
