"""Issue #19 on pages with real faces (bbt photos, the real detector and embedder), at 390 and
1440 px: a face link on the People page shows its keyboard focus ring over the photo, and the
album-link person picker on Sharing shows each person's face beside the name."""
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from core.tenancy.services import studio_create
from recognition.models import Face, Person
from recognition.services.curation import person_update
from sharing.models import ShareLink
from tests.browser.helpers import login, ready
from tests.recognition.helpers import event_with_faces

PHOTOS = [f"bbt/people/{name}/{name}{i}.png" for name in ("amy", "penny") for i in (1, 2)]
ACCENT = (0x43, 0x38, 0xCA)


@pytest.fixture
def people_event(live_server, face_pipeline):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_with_faces(studio, owner, PHOTOS, face_pipeline)
    Person.objects.filter(event=event, faces__isnull=True).delete()
    amy = Face.objects.get(event=event, photo__original_filename="amy1.png").person
    person_update(event=event, person_id=amy.id, name="Amy")
    return event


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour))


@pytest.mark.parametrize("size", ["guest-phone", "wide"])
def test_a_focused_face_link_shows_its_ring_over_the_photo(people_event, new_page, shot, size):
    page = new_page(size)
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{people_event.id}/people/?filter=all")
    link = page.locator("a.person__face").first
    link.locator("img").evaluate("img => img.decode()")
    page.keyboard.press("Tab")  # keyboard use, so :focus-visible applies
    link.focus()
    assert link.evaluate("a => a.matches(':focus-visible')")
    shot(page, "people-face-focus")
    link.evaluate("a => a.scrollIntoView({block: 'center'})")  # clear of the sticky top bar
    box = link.bounding_box()
    tile = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB")
    edges = ((1, tile.height // 2), (tile.width // 2, 1), (tile.width - 2, tile.height // 2), (tile.width // 2, tile.height - 2))
    for x, y in edges:
        assert _near(tile.getpixel((x, y)), ACCENT), (x, y, tile.getpixel((x, y)))  # the ring, not the photo under it
    ring = link.evaluate("a => getComputedStyle(a, '::after').boxShadow")
    assert ring != "none" and "inset" in ring, ring


@pytest.mark.parametrize("size", ["guest-phone", "wide"])
def test_album_link_picker_shows_each_persons_face(people_event, new_page, shot, size):
    page = new_page(size)
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{people_event.id}/sharing/")
    ready(page)
    page.get_by_text("One person's album").click()
    choices = page.locator("[data-role=person-choices] label")
    expect(choices).to_have_count(Person.objects.filter(event=people_event, hidden=False).count())
    amy = choices.filter(has_text="Amy")
    expect(amy).to_contain_text("2 photos")
    for choice in choices.all():
        face = choice.locator("img.person-pick__face")
        expect(face).to_be_visible()
        assert face.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    shot(page, "album-link-picker")
    penny = choices.filter(has_not_text="Amy")  # Amy, first, is checked already
    penny.click()
    page.get_by_role("button", name="Create link").click()
    expect(page.locator("[data-role=created]")).to_be_visible()
    chosen = ShareLink.objects.get().person
    assert chosen.name == "" and f"Person {chosen.id}" in penny.inner_text()
