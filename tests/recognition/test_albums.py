"""Per-person albums: zip members are the original bytes; email links; folder export; analytics."""
import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from events.models import Photo
from recognition.models import Face
from tests.factories import FACES_DIR
from tests.recognition.helpers import event_with_faces

PHOTOS = [f"bbt/people/amy/amy{i}.png" for i in (1, 2, 3)] + ["bbt/people/raj/raj1.png", "bbt/group/bbt4.jpg"]


@pytest.fixture
def event(studio_a, alice, face_pipeline):
    return event_with_faces(studio_a, alice, PHOTOS, face_pipeline)


def amy(event):
    return Face.objects.get(event=event, photo__original_filename="amy1.png").person


def _zip_members(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def test_album_zip_holds_the_original_bytes_and_a_faces_index(event, as_alice):
    person = amy(event)
    response = as_alice.get(f"/api/v1/people/{person.id}/album.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    members = _zip_members(response)
    expected = {p.split("/")[-1]: (FACES_DIR / p).read_bytes() for p in PHOTOS if "amy" in p or "bbt4" in p}
    originals = {name: data for name, data in members.items() if not name.startswith("Faces/")}
    assert originals == expected
    index = [name for name in members if name.startswith("Faces/")]
    assert len(index) == 1 and members[index[0]][:2] == b"\xff\xd8"


def test_duplicate_filenames_are_made_unique(event, as_alice):
    person = amy(event)
    Photo.objects.filter(event=event, original_filename="amy2.png").update(original_filename="amy1.png")
    names = sorted(_zip_members(as_alice.get(f"/api/v1/people/{person.id}/album.zip")))
    assert "amy1.png" in names and "amy1 (2).png" in names


def test_hidden_photos_stay_out_of_albums(event, as_alice):
    person = amy(event)
    Photo.objects.filter(event=event, original_filename="bbt4.jpg").update(hidden=True)
    names = _zip_members(as_alice.get(f"/api/v1/people/{person.id}/album.zip"))
    assert "bbt4.jpg" not in names


def test_album_by_email_with_a_working_time_limited_link(event, as_alice, settings):
    person = amy(event)
    # An album link downloads originals: never to an address typed in by whoever holds the page.
    refused = as_alice.post(f"/api/v1/people/{person.id}/album/email/", {"email": "amy@guest.example"}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "recipient_not_allowed" and not mail.outbox
    response = as_alice.post(f"/api/v1/people/{person.id}/album/email/", {"email": "Alice@a.example"}, format="json")
    assert response.status_code == 202
    (message,) = mail.outbox
    assert message.to == ["Alice@a.example"] and "4 photo(s)" in message.body
    url = re.search(r"http://testserver(\S+)", message.body).group(1)
    download = APIClient().get(url)
    assert download.status_code == 200 and "amy1.png" in _zip_members(download)
    assert APIClient().get(url.replace("download.zip", "").rstrip("/")[:-3] + "xyz/download.zip").status_code == 404
    settings.VISAGE_ALBUM_LINK_DAYS = 0
    assert APIClient().get(url).status_code == 404  # expired


def test_album_email_needs_a_valid_address_and_the_right_studio(event, as_alice, as_charlie):
    person = amy(event)
    assert as_alice.post(f"/api/v1/people/{person.id}/album/email/", {"email": "nope"}, format="json").status_code == 400
    assert as_charlie.post(f"/api/v1/people/{person.id}/album/email/", {"email": "a@b.example"}, format="json").status_code == 404
    assert as_charlie.get(f"/api/v1/people/{person.id}/album.zip").status_code == 404
    assert not mail.outbox


def test_export_people_writes_person_folders_and_faces(event, tmp_path):
    call_command("export_people", str(tmp_path), "--event", str(event.id))
    person = amy(event)
    folder = tmp_path / f"Person {person.id}"
    assert sorted(p.name for p in folder.iterdir()) == ["amy1.png", "amy2.png", "amy3.png", "bbt4.jpg"]
    assert (folder / "amy1.png").read_bytes() == (FACES_DIR / "bbt/people/amy/amy1.png").read_bytes()
    assert (tmp_path / "Faces" / f"Person {person.id}.jpg").exists()


def test_analytics(event, as_alice, as_charlie):
    data = as_alice.get(f"/api/v1/events/{event.id}/analytics/").json()
    top = data["most_photographed"][0]
    assert top["person_id"] == amy(event).id and top["photos"] == 4
    assert sum(row["photos"] for row in data["appearances"]) >= 4 + 2 + 4  # amy, raj, bbt4's others
    assert data["photos"]["processed"] == 5 and data["photos"]["without_recognised_person"] == 0
    assert data["faces"]["assigned"] >= 10 and data["faces"]["unknown"] == 0
    assert data["timings"]["processing_seconds"]["photos"] == 5 and data["timings"]["search_ms"]["searches"] == 0
    from recognition.search import event_search

    assert len(event_search(event=event, embedding=_raj_vector(event))) == 2  # raj1 and bbt4
    searched = as_alice.get(f"/api/v1/events/{event.id}/analytics/").json()["timings"]["search_ms"]
    assert searched["searches"] == 1 and searched["median"] >= 0
    assert as_charlie.get(f"/api/v1/events/{event.id}/analytics/").status_code == 404


def _raj_vector(event):
    from recognition.services.faces import face_embeddings
    from recognition.services.keys import event_data_key

    face = Face.objects.get(event=event, photo__original_filename="raj1.png")
    return face_embeddings([face], data_key=event_data_key(event=event), event_id=event.id)[0]
