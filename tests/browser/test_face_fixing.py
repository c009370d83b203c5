"""Fixing faces by hand in Chromium, at 1440 px and on a 390 px phone: tag a missed face by drawing a
box over the photo, assign a face from Unassigned faces (and undo it from its named toast), choose a
person's cover. Real photos (bbt), the real detector and embedder; axe-core on each page."""
import pytest
from playwright.sync_api import expect

from core.tenancy.services import studio_create
from events.models import Photo
from recognition.models import Face, Person
from recognition.services.curation import person_reject_faces, person_update
from tests.browser.guest_steps import serious_violations
from tests.browser.helpers import login, ready
from tests.recognition.helpers import event_with_faces

PHOTOS = [f"bbt/people/{name}/{name}{i}.png" for name in ("amy", "penny") for i in (1, 2, 3)] + ["bbt/group/bbt4.jpg"]


def _event(email: str, pipeline):
    studio, owner = studio_create(name="Lumen Weddings", owner_email=email, owner_password="pw-ana-123")
    event = event_with_faces(studio, owner, PHOTOS, pipeline)
    Person.objects.filter(event=event, faces__isnull=True).delete()
    amy = Face.objects.get(event=event, photo__original_filename="amy1.png").person
    penny = Face.objects.get(event=event, photo__original_filename="penny1.png").person
    person_update(event=event, person_id=amy.id, name="Amy")
    person_update(event=event, person_id=penny.id, name="Penny")
    return event, amy, penny


def _drag(page, overlay, box, size):
    """Drag with the mouse over `box` ([x1, y1, x2, y2], original px of a `size` photo)."""
    frame = overlay.bounding_box()
    sx, sy = frame["width"] / size[0], frame["height"] / size[1]
    page.mouse.move(frame["x"] + box[0] * sx, frame["y"] + box[1] * sy)
    page.mouse.down()
    page.mouse.move(frame["x"] + (box[0] + box[2]) / 2 * sx, frame["y"] + (box[1] + box[3]) / 2 * sy, steps=4)
    page.mouse.move(frame["x"] + box[2] * sx, frame["y"] + box[3] * sy, steps=4)
    page.mouse.up()


def _keyboard_box(page, box, size):
    """Place the keyboard's box (20 % wide, in the middle, 1 % a key press) over `box` and press Enter."""
    start = (0.4, 0.3, 0.2, 0.2 * size[0] / size[1])
    target = (box[0] / size[0], box[1] / size[1], (box[2] - box[0]) / size[0], (box[3] - box[1]) / size[1])
    expect(page.get_by_role("application", name="New face box")).to_be_focused()
    for key, count in (("ArrowLeft", start[0] - target[0]), ("ArrowUp", start[1] - target[1])):
        for _ in range(round(abs(count) * 100)):
            page.keyboard.press(key if count > 0 else {"ArrowLeft": "ArrowRight", "ArrowUp": "ArrowDown"}[key])
    for key, count in (("Shift+ArrowLeft", start[2] - target[2]), ("Shift+ArrowUp", start[3] - target[3])):
        for _ in range(round(abs(count) * 100)):
            page.keyboard.press(key if count > 0 else key.replace("Left", "Right").replace("Up", "Down"))
    page.keyboard.press("Enter")


@pytest.mark.parametrize("size", ["wide", "guest-phone"])
def test_tag_a_missed_face_assign_from_unassigned_and_choose_a_cover(new_page, shot, face_pipeline, size):
    event, amy, penny = _event(f"ana-{size}@lumen.example", face_pipeline)
    missed = Face.objects.get(event=event, person=amy, photo__original_filename="bbt4.jpg")
    box, photo = [missed.x1, missed.y1, missed.x2, missed.y2], Photo.objects.get(id=missed.photo_id)
    missed.delete()  # the detector "missed" Amy in the group shot
    wrong = Face.objects.get(event=event, photo__original_filename="penny2.png")
    person_reject_faces(event=event, person_id=penny.id, face_ids=[wrong.id])  # a "not this person" by mistake

    page = new_page(size)
    login(page, f"ana-{size}@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/")
    ready(page)
    page.locator(f".photo[data-photo-id='{photo.id}'] .photo__open").click()
    dialog = page.locator("#lightbox")
    dialog.get_by_role("button", name="Faces").click()
    overlay = dialog.locator("[data-role='face-boxes']")
    expect(overlay.locator(".face-box")).to_have_count(5)
    expect(overlay.get_by_role("link", name="Penny: open")).to_be_visible()

    dialog.get_by_role("button", name="Tag a face").click()
    _drag(page, overlay, box, (photo.width, photo.height))
    expect(page.locator("#toast")).to_contain_text("Face added, joined Amy")
    expect(overlay.locator(".face-box")).to_have_count(6)
    added = Face.objects.get(event=event, photo=photo, added_by_hand=True)
    assert added.person_id == amy.id and added.usable
    page.locator("#toast").get_by_role("button", name="Undo: added 1 face to bbt4.jpg").click()
    expect(overlay.locator(".face-box")).to_have_count(5)
    assert not Face.objects.filter(id=added.id).exists()
    dialog.get_by_role("button", name="Tag a face").focus()  # and once more, by keyboard, to keep it
    page.keyboard.press("Enter")
    _keyboard_box(page, box, (photo.width, photo.height))
    expect(overlay.get_by_role("link", name="Amy: open")).to_be_visible()
    shot(page, "face-tagged")
    assert not serious_violations(page)
    page.keyboard.press("Escape")

    page.goto(f"/events/{event.id}/faces/unassigned/")
    ready(page)
    card = page.locator(f"[data-face-id='{wrong.id}']")
    expect(card).to_contain_text("Not Penny")
    expect(card.locator("[data-role='assign']").first).to_be_visible()  # most alike people, with similarity
    shot(page, "unassigned-faces")
    assert not serious_violations(page)
    card.get_by_label("Assign the face in penny2.png to").select_option(str(penny.id))
    card.get_by_role("button", name="Assign", exact=True).click()
    expect(card).to_have_count(0)
    undo = page.locator("#toast").get_by_role("button", name="Undo: moved 1 face to Penny")
    expect(undo).to_be_visible()
    wrong.refresh_from_db()
    assert wrong.person_id == penny.id
    undo.click()
    expect(page.locator(f"[data-face-id='{wrong.id}']")).to_have_count(1)
    wrong.refresh_from_db()
    assert wrong.person_id is None
    card = page.locator(f"[data-face-id='{wrong.id}']")
    card.get_by_label("Assign the face in penny2.png to").select_option(str(penny.id))
    card.get_by_role("button", name="Assign", exact=True).click()
    expect(card).to_have_count(0)

    page.goto(f"/events/{event.id}/people/{amy.id}/")
    other = Face.objects.filter(person=amy).exclude(id=Person.objects.get(id=amy.id).cover_face_id).first()
    button = page.locator(f"[data-role='cover'][data-face-id='{other.id}']")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#toast")).to_contain_text("Cover chosen")
    assert Person.objects.get(id=amy.id).cover_face_id == other.id
    expect(page.locator(".person-hero__face")).to_have_attribute("src", f"/api/v1/faces/{other.id}/thumbnail")
    shot(page, "person-cover")
    assert not serious_violations(page)
