"""Guest pages: the whole flow on a phone-sized HTML path, and friendly pages for bad links."""
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from events.services import event_create
from sharing.codes import format_code
from sharing.models import GuestConsent, ShareLink
from tests.sharing.conftest import make_link, read_face


def guest_browser() -> Client:
    return Client(REMOTE_ADDR="203.0.113.50", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Ana & Ben")


def test_code_entry(event):
    created = make_link(event)
    browser = guest_browser()
    page = browser.get("/s/")
    assert page.status_code == 200 and b'<label for="code">' in page.content
    wrong = browser.post("/s/", {"code": "2222-2222"})
    assert wrong.status_code == 404 and b"We don&#x27;t know this link or code" in wrong.content
    right = browser.post("/s/", {"code": format_code(created.link.code).lower()})
    assert right.status_code == 302 and right["Location"] == f"/s/{created.link.code}"
    assert b"Ana &amp; Ben" in browser.get(right["Location"]).content


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
def test_bad_links_get_friendly_pages(event, state):
    created = make_link(event)
    if state == "revoked":
        ShareLink.objects.filter(id=created.link.id).update(revoked_at=timezone.now())
    if state == "expired":
        ShareLink.objects.filter(id=created.link.id).update(expires_at=timezone.now() - timedelta(seconds=1))
    token = "n" * 32 if state == "unknown" else created.token
    for path in ("", "/pin", "/consent", "/selfie", "/photos", "/forget"):
        page = guest_browser().get(f"/s/{token}{path}")
        assert page.status_code == (404 if state == "unknown" else 410), path
        assert b"<h1>" in page.content and b"Traceback" not in page.content and b"Ana" not in page.content


def test_code_guessing_gets_a_wait_page(event):
    browser = guest_browser()
    for guess in range(20):
        browser.post("/s/", {"code": f"ZZZZ{guess:04d}"})
    page = browser.post("/s/", {"code": make_link(event).link.code})
    assert page.status_code == 429 and b"Please wait" in page.content


def test_full_flow_with_pin_consent_selfie_results_and_forget(db, bbt):
    created = make_link(bbt.event, pin="2468")
    browser, key = guest_browser(), created.token
    landing = browser.get(f"/s/{key}")
    assert landing.status_code == 200 and f'href="/s/{key}/pin"'.encode() in landing.content
    assert browser.get(f"/s/{key}/consent")["Location"] == f"/s/{key}/pin"  # no skipping the PIN
    wrong = browser.post(f"/s/{key}/pin", {"pin": "1111"})
    assert wrong.status_code == 403 and b"not right" in wrong.content
    assert browser.post(f"/s/{key}/pin", {"pin": "2468"})["Location"] == f"/s/{key}/consent"
    consent_page = browser.get(f"/s/{key}/consent")
    assert b'<label class="check" for="consent">' in consent_page.content
    assert browser.post(f"/s/{key}/consent", {}).status_code == 400
    assert browser.post(f"/s/{key}/consent", {"consent": "yes"})["Location"] == f"/s/{key}/selfie"
    assert GuestConsent.objects.get(link=created.link).user_agent == "Mozilla/5.0 (iPhone)"
    selfie_page = browser.get(f"/s/{key}/selfie")
    assert b'accept="image/*" capture="user"' in selfie_page.content
    no_face = browser.post(f"/s/{key}/selfie", {"selfie": SimpleUploadedFile("x.jpg", b"nope")})
    assert no_face.status_code == 400 and b"not a photo we can read" in no_face.content
    selfie = SimpleUploadedFile("me.jpg", read_face("bbt/group/bbt4.jpg"))
    assert browser.post(f"/s/{key}/selfie", {"selfie": selfie})["Location"] == f"/s/{key}/photos"
    results = browser.get(f"/s/{key}/photos")
    assert results.status_code == 200 and b"largest one" in results.content
    assert re.search(rb"% match|Very likely you|Probably you|Maybe you", results.content)  # band words, or the % before bands
    assert b'alt="Photo 1, ' in results.content and b"Download all" in results.content
    assert browser.get(f"/s/{key}/forget").status_code == 200
    done = browser.post(f"/s/{key}/forget")
    assert done.status_code == 200 and b"consent is withdrawn" in done.content
    assert browser.get(f"/s/{key}/photos")["Location"] == f"/s/{key}/pin"  # the visit is over


def test_photos_page_images_load_through_the_cookie(db, bbt):
    created = make_link(bbt.event, scope="event", download="none")
    browser, key = guest_browser(), created.link.code
    browser.post(f"/s/{key}/consent", {"consent": "yes"})
    page = browser.get(f"/s/{key}/photos").content.decode()
    assert " download" not in page and "Download all" not in page  # this link allows no downloads…
    assert "Downloads are turned off for this link" in page  # …and says so
    first_image = page.split('<img src="', 1)[1].split('"', 1)[0]
    assert browser.get(first_image).status_code == 200
    assert guest_browser().get(first_image).status_code == 403  # another browser has no session
