"""Journey 1's curation steps: rename and merge people, split and reject faces, each with undo."""
import re

from django.core import mail
from playwright.sync_api import expect

from recognition.models import Face, Person
from tests.browser.helpers import ready


def rename_and_merge_people(page, shot):
    page.get_by_role("link", name="People").click()
    ready(page)
    # The default view leaves out unnamed people seen once; "All" shows everyone.
    page.get_by_role("navigation", name="Show people").get_by_role("link", name=re.compile(r"^All \d+")).click()
    ready(page)
    cards = page.locator(".people-grid .person")
    count = Person.objects.count()
    expect(cards).to_have_count(count)
    shot(page, "people")

    first = Person.objects.get(faces__photo__original_filename="leonard1.png")
    name = page.get_by_label(f"Name of person {first.id}")
    name.fill("Leonard Hofstadter")
    name.press("Enter")
    expect(page.locator("#toast")).to_contain_text("Named “Leonard Hofstadter”")
    _wait_for(lambda: Person.objects.get(id=first.id).name == "Leonard Hofstadter")

    a, b = _two_people_without_a_shared_photo(besides=first.id)
    page.get_by_label(f"Select {_label(a)}").check()
    page.get_by_label(f"Select {_label(b)}").check()
    page.get_by_role("button", name="Merge 2 people").click()
    expect(page.locator("#toast")).to_contain_text("Merged 2 people")
    expect(cards).to_have_count(count - 1)
    page.locator("#toast").get_by_role("button", name="Undo").click()
    expect(cards).to_have_count(count)
    page.get_by_label(f"Select {_label(a)}").check()
    page.get_by_label(f"Select {_label(b)}").check()
    page.get_by_role("button", name="Merge 2 people").click()
    expect(cards).to_have_count(count - 1)

    page.get_by_role("button", name="Hide Leonard Hofstadter from guests").click()
    expect(page.get_by_role("button", name="Show Leonard Hofstadter to guests")).to_be_visible()
    assert Person.objects.get(id=first.id).hidden
    page.get_by_role("button", name="Show Leonard Hofstadter to guests").click()
    expect(page.get_by_role("button", name="Hide Leonard Hofstadter from guests")).to_be_visible()


def _label(person):
    return person.name or f"Person {person.id}"


def _two_people_without_a_shared_photo(besides):
    people = list(Person.objects.exclude(id=besides).order_by("id"))
    photos = {p.id: set(p.faces.values_list("photo_id", flat=True)) for p in people}
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            if not photos[a.id] & photos[b.id]:
                return a, b
    raise AssertionError("every pair of people shares a photo")


def _wait_for(condition, timeout=10.0):
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def split_and_reject_faces(page, shot):
    """On the page of the person with the most faces: split one off, undo; reject one, undo."""
    person = max(Person.objects.all(), key=lambda p: p.faces.count())
    faces = list(person.faces.order_by("id"))
    assert len(faces) >= 2, "the merge above leaves a person with two faces"
    page.goto(f"/events/{person.event_id}/people/{person.id}/")
    ready(page)
    expect(page.locator(".face")).to_have_count(len(faces))
    shot(page, "person")

    page.locator(f"[data-face-id='{faces[0].id}'] input").check()
    page.get_by_role("button", name="Split into new person").click()
    expect(page.locator("#toast")).to_contain_text("moved to a new person")
    expect(page.locator(".face")).to_have_count(len(faces) - 1)
    expect(page.locator(".person-hero__meta")).to_contain_text(f"{len(faces) - 1} faces" if len(faces) > 2 else "1 face")
    assert Face.objects.get(id=faces[0].id).person_id != person.id
    page.get_by_role("button", name=re.compile(r"^Undo: split 1 face off")).click()
    expect(page.locator(".face")).to_have_count(len(faces))
    ready(page)

    page.locator(f"[data-face-id='{faces[-1].id}'] input").check()
    page.get_by_role("button", name="Not this person").click()
    expect(page.locator(".face")).to_have_count(len(faces) - 1)
    assert Face.objects.get(id=faces[-1].id).person_id is None
    page.get_by_role("button", name=re.compile(r"^Undo: took 1 face out of")).click()
    expect(page.locator(".face")).to_have_count(len(faces))
    assert Face.objects.get(id=faces[-1].id).person_id == person.id
    ready(page)
    _album_download_and_email(page)


def _album_download_and_email(page):
    with page.expect_download() as download:
        page.get_by_role("link", name="Download album (.zip)").click()
    assert open(download.value.path(), "rb").read(4) == b"PK\x03\x04"
    # Album links go only to the studio's own people; a stranger's address is refused with the reason.
    page.get_by_label("Email address to send the album to").fill("penny@example.com")
    page.get_by_role("button", name="Email album").click()
    expect(page.locator("#toast")).to_contain_text("can only be e-mailed")
    page.get_by_label("Email address to send the album to").fill("ana@lumen.example")
    page.get_by_role("button", name="Email album").click()
    expect(page.locator("#toast")).to_contain_text("Album link sent to ana@lumen.example")
    assert [message.to for message in mail.outbox] == [["ana@lumen.example"]]
