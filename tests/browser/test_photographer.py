"""Journey 1 (photographer): sign in, create an event, upload real photos (one file is not an
image, one batch loses its connection and is retried), watch processing finish, use the gallery."""
import re

from playwright.sync_api import expect

from events.models import Photo
from events import services as event_services
from sharing.models import ShareLink
from tests.browser.curation_steps import rename_and_merge_people, split_and_reject_faces
from tests.browser.helpers import GROUP_PHOTO, PEOPLE_PHOTOS, login, ready
from core.tenancy.services import studio_create


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
    ready(page)
    event_url = page.url

    _upload_with_one_lost_batch(page)
    _processing_reaches_done(page)
    _gallery_preview_and_hide(page)
    shot(page, "event")
    rename_and_merge_people(page, shot)
    split_and_reject_faces(page, shot)
    page.get_by_role("link", name="Analytics").click()
    ready(page)
    expect(page.locator("[data-role='appearances'] svg rect.bar-chart__bar").first).to_be_visible()
    shot(page, "analytics")

    page.goto("/")
    card = page.locator(".event-card", has_text="Penny & Leonard's wedding")
    expect(card).to_contain_text("7 photos")
    shot(page, "dashboard")

    _phone_tour(new_page("phone"), event_url, shot)


def _phone_tour(phone, event_url, shot):
    """Every photographer page at 375 px: nothing may overflow sideways."""
    phone.goto("/login/")
    shot(phone, "login")
    login(phone, "ana@lumen.example", "pw-ana-123")
    shot(phone, "dashboard")
    phone.goto(event_url)
    ready(phone)
    expect(phone.locator(".gallery .photo img")).to_have_count(7)
    shot(phone, "event")
    for tab in ("People", "Analytics"):
        phone.get_by_role("link", name=tab, exact=True).click()
        ready(phone)
        shot(phone, tab.lower())
        wide = phone.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, wide
    phone.get_by_role("link", name="People", exact=True).click()
    phone.locator(".person__review").first.click()
    ready(phone)
    shot(phone, "person")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


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
    expect(page.locator('.upload-item[data-status="failed"]')).to_have_count(4, timeout=60_000)
    expect(page.locator('.upload-item[data-status="failed"]').first).to_contain_text("connection was lost")
    page.get_by_role("button", name="Retry failed").click()

    # Processing runs inside each upload request here (eager Celery): allow for the face models.
    expect(page.locator('.upload-item[data-status="created"]')).to_have_count(7, timeout=90_000)
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


def test_photographer_creates_a_selfie_link_with_a_pin(new_page, shot):
    """The end of journey 1, on its own event so that it needs no upload."""
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Penny & Leonard's wedding")
    page = new_page("desktop")
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/sharing/")
    ready(page)
    expect(page.get_by_label("Selfie search")).to_be_checked()
    page.get_by_label("Label").fill("Table cards")
    page.get_by_label("PIN").fill("12")
    page.get_by_role("button", name="Create link").click()
    expect(page.locator("[data-role='link-error']")).to_contain_text("4 to 8 digits")
    page.get_by_label("PIN").fill("4321")
    page.get_by_role("button", name="Create link").click()
    url = page.get_by_label("The new guest link")
    expect(url).to_have_value(re.compile(r"^http://.+/s/[\w-]{20,}$"))
    link = ShareLink.objects.get()
    assert (link.scope, link.label, link.has_pin) == ("selfie", "Table cards", True)
    item = page.locator(".link-item", has_text="Table cards")
    expect(item).to_contain_text("PIN")
    expect(item).to_contain_text("Active")
    shot(page, "sharing")
    item.get_by_role("button", name="Show QR code of Table cards").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    item.get_by_role("button", name="Revoke Table cards").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke link").click()
    expect(item).to_contain_text("Revoked")
    assert ShareLink.objects.get().revoked_at is not None
