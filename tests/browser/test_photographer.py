"""Journey 1 (photographer): sign in, create an event, upload real photos (one file is not an
image, one batch loses its connection and is retried), watch processing finish, use the gallery."""
import re

from playwright.sync_api import expect

from events.models import Photo
from tests.browser.helpers import GROUP_PHOTO, PEOPLE_PHOTOS, login
from visage.tenancy.services import studio_create


def test_photographer_uploads_and_curates(new_page, shot):
    studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    page = new_page("desktop")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    shot(page, "login")
    page.get_by_label("Email").fill("ana@lumen.example")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("don't match")
    login(page, "ANA@lumen.example", "pw-ana-123")
    expect(page.get_by_role("heading", name="Create your first event")).to_be_visible()
    shot(page, "dashboard-empty")

    page.get_by_role("link", name="New event").first.click()
    page.get_by_label("Event name").fill("Penny & Leonard's wedding")
    page.get_by_label("Date").fill("2025-06-14")
    shot(page, "event-new")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Penny & Leonard's wedding")
    event_url = page.url

    _upload_with_one_lost_batch(page)
    _processing_reaches_done(page)
    _gallery_preview_and_hide(page)
    shot(page, "event")

    page.goto("/")
    card = page.locator(".event-card", has_text="Penny & Leonard's wedding")
    expect(card).to_contain_text("7 photos")
    shot(page, "dashboard")

    phone = new_page("phone")
    login(phone, "ana@lumen.example", "pw-ana-123")
    shot(phone, "dashboard")
    phone.goto(event_url)
    expect(phone.locator(".gallery .photo img")).to_have_count(7)
    shot(phone, "event")


def _upload_with_one_lost_batch(page):
    lost = []

    def drop_first_upload(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/events/*/photos/", drop_first_upload)
    files = [str(p) for p in PEOPLE_PHOTOS[:2]]
    files += [{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"guest list, not a photo"}]
    files += [str(p) for p in PEOPLE_PHOTOS[2:]] + [str(GROUP_PHOTO)]
    page.set_input_files("#upload-input", _as_payloads(files))

    rows = page.locator(".upload-item")
    expect(rows).to_have_count(8)
    expect(page.locator('.upload-item[data-status="failed"]')).to_have_count(4)
    expect(page.locator('.upload-item[data-status="failed"]').first).to_contain_text("connection was lost")
    page.get_by_role("button", name="Retry failed").click()

    expect(page.locator('.upload-item[data-status="created"]')).to_have_count(7)
    rejected = page.locator('.upload-item[data-status="rejected"]')
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text("notes.txt")
    expect(rejected.locator(".upload-item__reason")).to_contain_text("notes.txt:")
    expect(page.locator('[data-role="summary-text"]')).to_have_text("7 photos uploaded · 1 rejected")
    page.unroute("**/api/v1/events/*/photos/")


def _as_payloads(files):
    from pathlib import Path

    payloads = []
    for f in files:
        if isinstance(f, dict):
            payloads.append(f)
        else:
            path = Path(f)
            mime = "image/png" if path.suffix == ".png" else "image/jpeg"
            payloads.append({"name": path.name, "mimeType": mime, "buffer": path.read_bytes()})
    return payloads


def _processing_reaches_done(page):
    status = page.locator("#processing [data-role='status']")
    expect(status).to_contain_text("All 7 photos processed", timeout=120_000)
    expect(page.locator("[data-counter='photos_done']")).to_have_text("7")
    expect(page.locator("[data-counter='photos_failed']")).to_have_text("0")
    assert int(page.locator("[data-counter='faces']").inner_text()) >= 7


def _gallery_preview_and_hide(page):
    thumbs = page.locator(".gallery .photo img")
    expect(thumbs).to_have_count(7)
    expect(thumbs.first).to_have_attribute("loading", "lazy")
    expect(thumbs.first).to_have_attribute("alt", re.compile(r"^Photo .+"))

    page.get_by_role("button", name=re.compile(r"^Photo amy1\.png")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("img")).to_have_attribute("src", re.compile(r"/preview$"))
    page.keyboard.press("ArrowRight")
    expect(dialog).to_contain_text("bernadette1.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.get_by_role("button", name="Hide howard1.png from guests").click()
    expect(page.get_by_role("button", name="Show howard1.png to guests")).to_be_visible()
    assert Photo.objects.get(original_filename="howard1.png").hidden
