"""The studio gallery in Chromium at 390 and 1440 px: sort and full names, face-aware square tiles,
multi-select with Shift, a share link for the selection, bulk hide with a count that follows the filter, a zip of the selected
originals byte for byte, and the slideshow (keys, pause, swipe on a phone); axe-core on the page."""
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from core.tenancy.services import studio_create
from events import services as event_services
from events.models import Photo
from recognition.ingest.worker import ingest_run_task
from sharing.models import ShareLink
from tests.browser.guest_steps import serious_violations, swipe, tall_photo
from tests.browser.helpers import BBT, login, ready

LONG_NAME = "deepface-image-of-the-bride-and-groom-at-the-altar.png"


@pytest.fixture
def gallery_event(live_server):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Penny & Leonard")
    files = {LONG_NAME: BBT / "people/penny/penny1.png", "leonard.png": BBT / "people/leonard/leonard1.png",
             "raj.png": BBT / "people/raj/raj1.png"}
    uploads = [SimpleUploadedFile(name, path.read_bytes()) for name, path in files.items()]
    event_services.photos_upload(event=event, user=owner, files=[*uploads, tall_photo()])
    ingest_run_task.apply()  # the real engine: previews, thumbnails, face boxes
    assert set(Photo.objects.filter(event=event).values_list("state", flat=True)) == {"done"}
    return event, {**{name: path.read_bytes() for name, path in files.items()}}


def open_gallery(page, event, query: str = "") -> None:
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/{query}")
    ready(page)


@pytest.mark.parametrize("size", ["guest-phone", "wide"])
def test_bulk_hide_and_download_selected(gallery_event, new_page, shot, size):
    event, originals = gallery_event
    page = new_page(size, accept_downloads=True)
    open_gallery(page, event, "?sort=upload")
    gallery = page.locator("#gallery")
    expect(gallery.locator("[data-role=gallery-count]")).to_have_text("4 photos")
    tiles = gallery.locator(".gallery .photo")
    expect(tiles).to_have_count(4)
    # The full file name is there to read, wrapped, not cut to "deepface-im…".
    name = tiles.first.locator(".photo__name")
    expect(name).to_have_text(LONG_NAME)
    assert name.evaluate("n => n.scrollWidth <= n.clientWidth + 1")
    # The tall photo's square tile looks at its face (near the top), not at the middle.
    tall = tiles.nth(3).locator("img")
    expect(tall).to_have_attribute("style", re.compile(r"object-position: 50% (\d|1\d)(\.\d)?%"))
    shot(page, f"gallery-{size}")

    # Select the first, Shift-click the third: a range of three; then keyboard: Space on the fourth.
    tiles.nth(0).locator(".photo__check").click()
    tiles.nth(2).locator(".photo__check").click(modifiers=["Shift"])
    bulk = gallery.locator("[data-role=bulk]")
    expect(bulk.locator("[data-role=bulk-count]")).to_have_text("3 photos selected")
    tiles.nth(3).locator(".photo__check").focus()
    page.keyboard.press("Space")
    expect(bulk.locator("[data-role=bulk-count]")).to_have_text("4 photos selected")
    page.keyboard.press("Space")
    expect(bulk.locator("[data-role=bulk-count]")).to_have_text("3 photos selected")
    shot(page, f"gallery-selected-{size}")
    assert serious_violations(page) == []

    # Share the selection: a link limited to these photos, its URL shown once to copy.
    bulk.get_by_role("button", name="Share").click()
    dialog = page.locator("dialog.share-selected")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Link")).to_have_value(re.compile(r"^http://.+/s/[\w-]{20,}$"))
    link = ShareLink.objects.get(event=event)
    assert link.scope == "photos" and link.photos.count() == 3
    assert not (set(link.photos.values_list("original_filename", flat=True)) - set(originals))
    dialog.get_by_role("button", name="Close").click()

    bulk.get_by_role("button", name="Hide", exact=True).click()
    expect(tiles.locator(".photo__flag:visible")).to_have_count(3)
    assert Photo.objects.filter(event=event, hidden=True).count() == 3

    # Download the selection: one zip of the originals, byte for byte.
    with page.expect_download() as info:
        bulk.get_by_role("button", name="Download").click()
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as archive:
        assert sorted(archive.namelist()) == sorted(originals)
        for member, data in originals.items():
            assert archive.read(member) == data, member

    # Only the visible ones: the count follows the filter, and hiding one more takes it out of both.
    gallery.get_by_role("combobox", name="Show").select_option("visible")
    expect(gallery.locator("[data-role=gallery-count]")).to_have_text("1 photo")
    expect(tiles).to_have_count(1)
    tiles.first.get_by_role("button", name=re.compile("Hide")).click()
    expect(tiles).to_have_count(0)
    expect(gallery.locator("[data-role=gallery-empty]")).to_have_text("No photos match these filters.")
    assert "show=visible" in page.url
    gallery.get_by_role("combobox", name="Show").select_option("hidden")
    expect(gallery.locator("[data-role=gallery-count]")).to_have_text("4 photos")
    gallery.get_by_role("button", name="Select all shown").click()
    bulk.get_by_role("button", name="Unhide").click()
    expect(tiles).to_have_count(0)
    assert not Photo.objects.filter(event=event, hidden=True).exists()


@pytest.mark.parametrize("size", ["guest-phone", "wide"])
def test_slideshow(gallery_event, new_page, shot, size):
    event, _originals = gallery_event
    page = new_page(size)
    open_gallery(page, event, "?sort=upload")
    page.get_by_role("button", name="Slideshow").click()
    show = page.locator("dialog.slideshow")
    expect(show).to_be_visible()
    caption = show.locator("[data-role=slide-caption]")
    expect(caption).to_have_text(f"{LONG_NAME} · 1 of 4")
    show.locator("[data-role=slide-img]").evaluate("img => img.decode()")
    box = show.locator("[data-role=slide-img]").bounding_box()
    viewport = page.viewport_size
    assert box["width"] <= viewport["width"] + 1 and box["y"] + box["height"] <= viewport["height"] + 1
    for control in ("Pause", "Close"):
        b = show.get_by_role("button", name=control).bounding_box()
        assert b["y"] + b["height"] <= viewport["height"] and b["x"] + b["width"] <= viewport["width"]
    shot(page, f"slideshow-{size}")
    show.get_by_role("button", name="Pause").click()  # paused: it stays on this photo
    expect(show.get_by_role("button", name="Play")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(caption).to_have_text("leonard.png · 2 of 4")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(caption).to_have_text("tall.jpg · 4 of 4")  # wraps round
    if size == "guest-phone":
        swipe(page, -200)
        expect(caption).to_have_text(f"{LONG_NAME} · 1 of 4")
    page.wait_for_timeout(4500)  # longer than a slide: paused means it did not move
    expect(caption).to_contain_text(" of 4")
    before = caption.text_content()
    page.wait_for_timeout(300)
    assert caption.text_content() == before
    show.get_by_role("button", name="Play").click()  # playing: the next photo comes by itself
    expect(caption).not_to_have_text(before, timeout=8000)
    page.keyboard.press("Escape")
    expect(show).to_be_hidden()
