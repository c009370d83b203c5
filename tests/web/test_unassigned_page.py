"""The Unassigned faces page: faces in no person (a "not this person" too) with suggested people,
paged; the studio's curators only, and another studio's event is a 404."""
import pytest
from django.test import Client

from recognition.models import Face
from recognition.services.curation import person_reject_faces
from tests.recognition.helpers import event_with_faces

PHOTOS = [f"bbt/people/{name}/{name}{i}.png" for name in ("amy", "raj") for i in (1, 2, 3)]


@pytest.fixture
def event(studio_a, alice, face_pipeline):
    event = event_with_faces(studio_a, alice, PHOTOS, face_pipeline)
    for stem in ("raj2", "amy2"):
        face = Face.objects.get(event=event, photo__original_filename=f"{stem}.png")
        person_reject_faces(event=event, person_id=face.person_id, face_ids=[face.id])
    return event


def test_rejected_faces_are_listed_with_suggestions_and_paged(event, alice, monkeypatch):
    from web.views import faces

    page = Client()
    page.force_login(alice)
    html = page.get(f"/events/{event.id}/faces/unassigned/").content.decode()
    assert "raj2.png" in html and "amy2.png" in html and "2 faces" in html and "Not Person" in html
    assert 'data-role="assign"' in html  # suggested people
    monkeypatch.setattr(faces, "PAGE_SIZE", 1)
    first = page.get(f"/events/{event.id}/faces/unassigned/").content.decode()
    second = page.get(f"/events/{event.id}/faces/unassigned/?from=1").content.decode()
    assert "1–1 shown" in first and "?from=1" in first and "2–2 shown" in second and "?from=0" in second
    assert ("raj2.png" in first) != ("raj2.png" in second)


def test_only_the_studios_curators_open_it(event, vera, charlie):
    viewer, outsider = Client(), Client()
    viewer.force_login(vera)
    outsider.force_login(charlie)
    assert viewer.get(f"/events/{event.id}/faces/unassigned/").status_code == 403
    assert outsider.get(f"/events/{event.id}/faces/unassigned/").status_code == 404
