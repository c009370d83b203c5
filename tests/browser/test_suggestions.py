"""People page: "Are these the same person?" shows a split person's two halves with Merge and Not
the same; Not the same is remembered (and undone with Undo), Merge makes them one."""
from playwright.sync_api import expect

from recognition.models import DismissedPair, Face, Person
from recognition.services.people import people_refresh_covers
from tests.browser.helpers import login, ready
from tests.recognition.helpers import event_with_faces
from core.tenancy.services import studio_create

PHOTOS = [f"bbt/people/{name}/{name}{k}.png" for name in ("raj", "penny") for k in range(1, 6)]


def test_a_suggestion_is_dismissed_undone_and_merged(new_page, shot, face_pipeline):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_with_faces(studio, owner, PHOTOS, face_pipeline)
    Person.objects.filter(event=event, faces__isnull=True).delete()  # left by the live server's own ingest
    raj = Face.objects.get(event=event, photo__original_filename="raj1.png").person
    half = Person.objects.create(studio=studio, event=event)  # as a clustering split would leave him
    Face.objects.filter(event=event, photo__original_filename__in=["raj4.png", "raj5.png"]).update(person=half)
    people_refresh_covers(event=event)
    page = new_page("desktop")
    login(page, "ana@lumen.example", "pw-ana-123")

    page.goto(f"/events/{event.id}/people/")
    ready(page)
    section = page.get_by_role("region", name="Are these the same person?")
    cards = section.locator(".suggestion")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(f"Person {raj.id} and Person {half.id}")
    expect(cards.first.locator("img")).to_have_count(2)
    shot(page, "people-suggestions")

    cards.first.get_by_role("button", name="not the same person").click()
    expect(page.locator("#toast")).to_contain_text("stay apart")
    expect(section).to_be_hidden()
    assert DismissedPair.objects.filter(event=event, person_a=min(raj.id, half.id)).exists()
    page.locator("#toast").get_by_role("button", name="Undo").click()
    expect(cards).to_have_count(1)
    assert not DismissedPair.objects.exists()

    cards.first.get_by_role("button", name=f"Merge Person {raj.id} and Person {half.id}").click()
    expect(page.locator("#toast")).to_contain_text("Merged into")
    expect(section).to_be_hidden()
    assert set(Face.objects.filter(event=event, photo__original_filename__startswith="raj").values_list("person", flat=True)) == {raj.id}
