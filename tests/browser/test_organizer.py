"""An organizer (no studio membership) sees only their event, and only sharing and hiding."""
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from events import services as event_services
from events.models import EventOrganizer, Photo
from tests.browser.helpers import BBT, login, ready
from tests.factories import jpeg_bytes
from core.tenancy.models import User
from core.tenancy.services import studio_create


def test_organizer_sees_only_their_event(new_page, shot):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    theirs = event_services.event_create(studio=studio, user=owner, name="Amy & Sheldon")
    event_services.event_create(studio=studio, user=owner, name="Another couple's day")
    photo = BBT / "people" / "amy" / "amy1.png"
    event_services.photos_upload(event=theirs, user=owner, files=[
        SimpleUploadedFile(photo.name, photo.read_bytes()), SimpleUploadedFile("plain.jpg", jpeg_bytes())])
    organizer = User.objects.create_user(email="amy@example.com", password="pw-amy-123")
    EventOrganizer.objects.create(studio=studio, event=theirs, user=organizer, invited_by=owner)
    page = new_page("desktop")

    login(page, "amy@example.com", "pw-amy-123")
    cards = page.locator(".event-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Amy & Sheldon")
    expect(cards.first).to_contain_text("Organizer")
    expect(page.get_by_role("link", name="New event")).to_have_count(0)
    shot(page, "organizer-dashboard")

    cards.first.get_by_role("link").click()
    ready(page)
    expect(page.locator("#upload")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit event")).to_have_count(0)
    tabs = page.get_by_role("navigation", name="Event sections").get_by_role("link")
    expect(tabs).to_have_text(["Photos", "Sharing", "Analytics"])
    page.get_by_role("button", name="Hide amy1.png from guests").click()
    expect(page.get_by_role("button", name="Show amy1.png to guests")).to_be_visible()
    assert Photo.objects.get(original_filename="amy1.png").hidden
    shot(page, "organizer-event")

    response = page.goto(re.sub(r"/$", "/people/", page.url))
    assert response.status == 403
