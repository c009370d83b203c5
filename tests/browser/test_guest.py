"""Journeys 2 and 3 (guest, phone-sized): PIN, consent, selfie, only their photos, a byte-exact
original; an expired or revoked link gives a friendly page, never an error trace."""
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from events import services as event_services
from events.models import Photo
from recognition.models import Person
from sharing.models import ShareLink
from sharing.services.links import share_link_create
from tests.browser.helpers import BBT, GROUP_PHOTO
from core.tenancy.services import studio_create

EVENT_PHOTOS = [BBT / "people" / name / f"{name}1.png" for name in ("penny", "amy", "leonard")] + [GROUP_PHOTO]
SELFIE = BBT / "people" / "penny" / "penny2.png"


def _event_with_link(live_server, **link_fields):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Penny & Leonard's wedding")
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in link_fields.pop("photos", [])]
    event_services.photos_upload(event=event, user=owner, files=files)
    created = share_link_create(event=event, user=owner, base_url=live_server.url, **link_fields)
    return event, created


def test_guest_finds_their_photos_on_a_phone(live_server, new_page, shot):
    event, created = _event_with_link(live_server, photos=EVENT_PHOTOS, scope="selfie", pin="4321", label="Tables")
    penny = Person.objects.get(faces__photo__original_filename="penny1.png")
    penny_photo_ids = set(penny.faces.values_list("photo_id", flat=True))
    page = new_page("phone")

    page.goto(created.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Penny & Leonard's wedding")
    shot(page, "guest-landing")
    page.get_by_role("link", name="Start").click()
    page.get_by_label("PIN").fill("0000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("PIN").fill("4321")
    shot(page, "guest-pin")
    page.get_by_role("button", name="Continue").click()
    shot(page, "guest-consent")
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Agree and continue").click()
    page.get_by_label("Your selfie").set_input_files(str(SELFIE))
    shot(page, "guest-selfie")
    page.get_by_role("button", name="Find my photos").click()

    downloads = page.get_by_role("link", name="Download", exact=True)
    expect(downloads.first).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"\d+% match|(Very likely|Probably|Maybe) you")).first).to_be_visible()
    shown = {int(re.search(r"/photos/(\d+)/original", href).group(1)) for href in downloads.evaluate_all("els => els.map(e => e.href)")}
    penny1 = Photo.objects.get(event=event, original_filename="penny1.png")
    assert penny1.id in shown and shown <= penny_photo_ids, (shown, penny_photo_ids)
    shot(page, "guest-photos")

    link = page.locator(f"a[href$='/photos/{penny1.id}/original']")
    with page.expect_download() as download_info:
        link.click()
    assert open(download_info.value.path(), "rb").read() == (BBT / "people" / "penny" / "penny1.png").read_bytes()


def test_expired_and_revoked_links_show_a_friendly_page(live_server, new_page, shot):
    event, expired = _event_with_link(live_server, scope="event")
    ShareLink.objects.filter(id=expired.link.id).update(expires_at=timezone.now() - timedelta(hours=1))
    page = new_page("phone")

    response = page.goto(expired.url)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is no longer available")
    expect(page.locator("body")).not_to_contain_text("Traceback")
    shot(page, "guest-expired")

    response = page.goto(f"{live_server.url}/s/not-a-real-token-at-all")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We don't know this link")
