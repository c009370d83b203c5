"""A share link limited to selected photos (the studio gallery's "Share"): guests see those and no
other, hidden ones stay hidden, a selfie search finds only inside them; foreign ids are refused and
another studio cannot make one on this event."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Photo
from events.services import event_create, photos_upload
from recognition.ingest.worker import ingest_run_task
from sharing.models import Scope, ShareLink
from tests.factories import FACES_DIR, client_for
from tests.factories.events import EventFactory, PhotoFactory
from tests.sharing.conftest import guest_client

PATHS = {"amy1.png": "bbt/people/amy/amy1.png", "raj1.png": "bbt/people/raj/raj1.png",
         "penny1.png": "bbt/people/penny/penny1.png"}


@pytest.fixture
def event_photos(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Selection")
    outcomes = photos_upload(event=event, user=alice, files=[
        SimpleUploadedFile(name, (FACES_DIR / path).read_bytes()) for name, path in PATHS.items()])
    ingest_run_task.apply()
    return event, {o.filename: o.photo.id for o in outcomes}


def create(client, event_id, **body):
    return client.post(f"/api/v1/events/{event_id}/share-links/", {"scope": "photos", **body}, format="json")


def test_guests_see_only_the_selected_visible_photos(event_photos, as_alice):
    event, ids = event_photos
    Photo.objects.filter(id=ids["raj1.png"]).update(hidden=True)
    made = create(as_alice, event.id, photo_ids=[ids["amy1.png"], ids["raj1.png"]], label="Two photos")
    assert made.status_code == 201, made.content
    assert made.json()["scope"] == "photos"
    link = ShareLink.objects.get(id=made.json()["id"])
    assert set(link.photos.values_list("id", flat=True)) == {ids["amy1.png"], ids["raj1.png"]}

    guest, token = guest_client(), made.json()["token"]
    assert guest.post(f"/api/v1/guest/{token}/session", {"consent": True}, format="json").status_code in (200, 201)
    listed = guest.get(f"/api/v1/guest/{token}/photos").json()["photos"]
    assert [p["photo_id"] for p in listed] == [ids["amy1.png"]]  # raj1 is selected but hidden
    assert guest.get(f"/api/v1/guest/{token}/photos/{ids['penny1.png']}/original").status_code == 404
    assert guest.get(f"/api/v1/guest/{token}/photos/{ids['raj1.png']}/original").status_code == 404
    original = guest.get(f"/api/v1/guest/{token}/photos/{ids['amy1.png']}/original")
    assert original.status_code == 200
    zipped = guest.get(f"/api/v1/guest/{token}/download.zip")
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert names == ["amy1.png"]


def test_a_selfie_finds_only_inside_the_selection(event_photos, as_alice):
    event, ids = event_photos
    token = create(as_alice, event.id, photo_ids=[ids["raj1.png"]]).json()["token"]
    guest = guest_client("203.0.113.9")
    selfie = (FACES_DIR / "bbt/people/amy/amy2.png").read_bytes()
    found = guest.post(f"/api/v1/guest/{token}/search", {"selfie": SimpleUploadedFile("me.png", selfie),
                                                          "consent": "true"}, format="multipart")
    assert found.status_code == 200, found.content
    assert found.json()["matches"] == []  # Amy is in amy1.png, which this link does not share


@pytest.mark.parametrize("body", [{}, {"photo_ids": []}, {"scope": "event", "photo_ids": [1]}])
def test_scope_and_ids_go_together(event_photos, as_alice, body):
    event, ids = event_photos
    if body.get("photo_ids") == [1]:
        body = {**body, "photo_ids": [ids["amy1.png"]]}
    got = create(as_alice, event.id, **body)
    assert got.status_code == 400 and not ShareLink.objects.exists()


def test_another_studios_photo_is_refused_and_charlie_gets_a_404(event_photos, as_alice, studio_b, charlie):
    event, ids = event_photos
    theirs = PhotoFactory(event=EventFactory(studio=studio_b))
    got = create(as_alice, event.id, photo_ids=[ids["amy1.png"], theirs.id])
    assert got.status_code == 400 and not ShareLink.objects.exists()
    assert create(client_for(charlie), event.id, photo_ids=[ids["amy1.png"]]).status_code == 404
    assert ShareLink.objects.filter(scope=Scope.PHOTOS).count() == 0
