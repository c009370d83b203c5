"""Fixing faces by hand on real photos: a drawn face is found, encrypted, joins its person and is found
by a guest's selfie; assign / not a face / ignore / restore / cover, each undone by its id; two studios."""
import io
import zipfile

import numpy as np
import pytest

from events.models import Photo
from recognition import crypto
from recognition.albums import album_photos
from recognition.index import searchable_faces
from recognition.index_version import index_invalidate
from recognition.models import Face, Person
from recognition.search import event_search
from recognition.services.keys import event_data_key
from tests.recognition.helpers import analysed, event_with_faces

PHOTOS = [f"bbt/people/{name}/{name}{i}.png" for name in ("amy", "penny", "raj") for i in (1, 2, 3)]
PHOTOS += ["bbt/group/bbt4.jpg"]  # amy, penny and raj together, with leonard, sheldon and bernadette


@pytest.fixture
def event(studio_a, alice, face_pipeline):
    return event_with_faces(studio_a, alice, PHOTOS, face_pipeline)


def person_of(event, stem: str) -> Person:
    return Face.objects.get(event=event, photo__original_filename=f"{stem}1.png").person


def group_face_of(event, person: Person) -> Face:
    return person.faces.get(photo__original_filename="bbt4.jpg")


def xywh(face: Face, loosen: float = 0.08) -> list[float]:
    """A hand-drawn box: the face's box a little looser, as a person draws it."""
    w, h = face.x2 - face.x1, face.y2 - face.y1
    return [face.x1 - loosen * w, face.y1 - loosen * h, w * (1 + 2 * loosen), h * (1 + 2 * loosen)]


def test_drawn_face_is_stored_encrypted_joins_its_person_and_is_found_by_a_selfie(
        event, as_alice, face_pipeline, django_capture_on_commit_callbacks):
    amy = person_of(event, "amy")
    missed = group_face_of(event, amy)
    photo, box = missed.photo, xywh(missed)
    missed.delete()  # as if the detector had missed Amy in the group shot
    index_invalidate(event_id=event.id)
    assert photo.id not in [m.photo_id for m in event_search(event=event, embedding=analysed(PHOTOS[1], face_pipeline)[0].embedding)]

    with django_capture_on_commit_callbacks(execute=True):  # the search index hears of the new face on commit
        response = as_alice.post(f"/api/v1/photos/{photo.id}/faces/", {"box": box}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["landmarks_found"] is True and body["face"]["added_by_hand"] is True
    assert body["face"]["person"] == {"id": amy.id, "name": ""} and body["undo_label"] == "Undo: added 1 face to bbt4.jpg"
    face = Face.objects.get(id=body["face"]["id"])
    assert face.usable and face.person_id == amy.id
    selfie = analysed(PHOTOS[1], face_pipeline)[0].embedding  # amy2.png, as a guest's selfie
    stored = crypto.decrypt_embeddings([bytes(face.embedding_ciphertext)], [str(face.uid)],
                                       data_key=event_data_key(event=event), event_id=event.id)[0]
    assert selfie.astype(np.float32).tobytes() not in bytes(face.embedding_ciphertext)
    assert stored.astype(np.float32).tobytes() not in bytes(face.embedding_ciphertext)  # ciphertext, not the vector
    assert float(stored @ selfie) > 0.4
    matches = event_search(event=event, embedding=selfie)
    assert any(m.photo_id == photo.id and m.face_id == face.id for m in matches)
    assert photo in album_photos(amy)

    undo = as_alice.post(f"/api/v1/events/{event.id}/faces/undo/", {"action_id": body["action_id"]}, format="json")
    assert undo.status_code == 200 and undo.json()["label"] == "Undo: added 1 face to bbt4.jpg"
    assert not Face.objects.filter(id=face.id).exists()


def test_drawn_box_refused_outside_the_photo_too_small_or_over_a_face(event, as_alice):
    face = Face.objects.filter(event=event, photo__original_filename="bbt4.jpg").first()
    photo = face.photo
    url = f"/api/v1/photos/{photo.id}/faces/"
    outside = as_alice.post(url, {"box": [photo.width - 30, 10, 60, 60]}, format="json")
    assert outside.status_code == 400 and "inside the photo" in outside.json()["error"]["message"]
    small = as_alice.post(url, {"box": [10, 10, 12, 30]}, format="json")
    assert small.status_code == 400 and "too small" in small.json()["error"]["message"]
    over = as_alice.post(url, {"box": xywh(face, 0.02)}, format="json")
    assert over.status_code == 400 and f"face {face.id}" in over.json()["error"]["message"]
    assert as_alice.post(url, {"box": [1, 2, 3]}, format="json").status_code == 400


def test_rejected_face_is_listed_unassigned_with_suggestions_and_can_be_assigned_back(event, as_alice):
    raj = person_of(event, "raj")
    face = raj.faces.get(photo__original_filename="raj2.png")
    as_alice.post(f"/api/v1/people/{raj.id}/reject/", {"face_ids": [face.id]}, format="json")
    assert face.photo not in album_photos(raj)
    album = zipfile.ZipFile(io.BytesIO(b"".join(as_alice.get(f"/api/v1/people/{raj.id}/album.zip").streaming_content)))
    assert "raj2.png" not in album.namelist()  # left out, and the zip says so
    assert "raj2.png: a face in it was marked" in album.read("Left out.txt").decode()

    listed = as_alice.get(f"/api/v1/events/{event.id}/faces/?person=none").json()
    row = next(r for r in listed["results"] if r["id"] == face.id)
    assert row["rejected_from"] == [{"id": raj.id, "name": ""}] and row["photo_filename"] == "raj2.png"
    assert 1 <= len(row["suggestions"]) <= 3 and raj.id not in [s["person_id"] for s in row["suggestions"]]
    assert row["suggestions"] == sorted(row["suggestions"], key=lambda s: -s["similarity"])

    response = as_alice.post(f"/api/v1/events/{event.id}/faces/assign/",
                             {"face_ids": [face.id], "person_id": raj.id}, format="json")
    assert response.status_code == 200 and response.json()["person_id"] == raj.id
    face.refresh_from_db()
    assert face.person_id == raj.id and not face.rejected_people.exists() and face.photo in album_photos(raj)
    assert face.id not in [r["id"] for r in as_alice.get(f"/api/v1/events/{event.id}/faces/?person=none").json()["results"]]

    as_alice.post(f"/api/v1/events/{event.id}/faces/undo/", {"action_id": response.json()["action_id"]}, format="json")
    face.refresh_from_db()
    assert face.person_id is None and list(face.rejected_people.values_list("id", flat=True)) == [raj.id]


def test_assign_to_a_new_named_person_and_refusals(event, as_alice):
    amy, penny = person_of(event, "amy"), person_of(event, "penny")
    face = amy.faces.get(photo__original_filename="amy3.png")
    response = as_alice.post(f"/api/v1/events/{event.id}/faces/assign/",
                             {"face_ids": [face.id], "new_person_name": "Ana"}, format="json")
    assert response.json()["undo_label"] == "Undo: moved 1 face to Ana"
    ana = Person.objects.get(id=response.json()["person_id"])
    assert ana.name == "Ana" and ana.curated and list(ana.faces.all()) == [face]
    # penny is in bbt4 already: Amy's group face cannot join her
    clash = as_alice.post(f"/api/v1/events/{event.id}/faces/assign/",
                          {"face_ids": [group_face_of(event, amy).id], "person_id": penny.id}, format="json")
    assert clash.status_code == 400 and "bbt4.jpg" in clash.json()["error"]["message"]
    as_alice.post(f"/api/v1/events/{event.id}/faces/undo/", {"action_id": response.json()["action_id"]}, format="json")
    face.refresh_from_db()
    assert face.person_id == amy.id and not Person.objects.filter(id=ana.id).exists()


@pytest.mark.parametrize("reason", ["not_face", "ignored"])
def test_set_aside_faces_leave_people_search_and_unassigned_until_undone_or_restored(event, as_alice, reason):
    amy = person_of(event, "amy")
    face = group_face_of(event, amy)
    response = as_alice.post(f"/api/v1/events/{event.id}/faces/set-aside/",
                             {"face_ids": [face.id], "reason": reason}, format="json")
    assert response.status_code == 200
    assert response.json()["undo_label"] == {"not_face": "Undo: marked 1 face as not a face",
                                             "ignored": "Undo: ignored 1 face (background)"}[reason]
    face.refresh_from_db()
    assert face.person_id is None and face.set_aside == reason
    assert not searchable_faces(event=event).filter(id=face.id).exists()
    listed = lambda holder: [r["id"] for r in as_alice.get(f"/api/v1/events/{event.id}/faces/?person={holder}").json()["results"]]  # noqa: E731
    assert face.id not in listed("none") and face.id in listed(reason)
    from recognition.services.people import event_recluster
    event_recluster(event=event)
    face.refresh_from_db()
    assert face.person_id is None  # never grouped again

    as_alice.post(f"/api/v1/events/{event.id}/faces/undo/", {"action_id": response.json()["action_id"]}, format="json")
    face.refresh_from_db()
    assert face.person_id == amy.id and face.set_aside == ""

    as_alice.post(f"/api/v1/events/{event.id}/faces/set-aside/", {"face_ids": [face.id], "reason": reason}, format="json")
    restored = as_alice.post(f"/api/v1/events/{event.id}/faces/restore/", {"face_ids": [face.id]}, format="json")
    assert restored.json()["undo_label"] == "Undo: brought back 1 face" and face.id in listed("none")


def test_cover_choice_and_undo(event, as_alice):
    amy = person_of(event, "amy")
    old = amy.cover_face_id
    other = amy.faces.exclude(id=old).first()
    response = as_alice.post(f"/api/v1/people/{amy.id}/cover/", {"face_id": other.id}, format="json")
    assert response.status_code == 200 and response.json()["undo_label"] == f"Undo: changed {amy}'s cover"
    assert as_alice.get(f"/api/v1/people/{amy.id}/").json()["cover_face"] == other.id
    from recognition.services.people import people_refresh_covers
    people_refresh_covers(event=event)  # a chosen cover is kept while the face is theirs
    amy.refresh_from_db()
    assert amy.cover_face_id == other.id
    penny_face = person_of(event, "penny").faces.first()
    refused = as_alice.post(f"/api/v1/people/{amy.id}/cover/", {"face_id": penny_face.id}, format="json")
    assert refused.status_code == 400
    again = as_alice.post(f"/api/v1/people/{amy.id}/cover/", {"face_id": old}, format="json")  # a later change to Amy
    stale = as_alice.post(f"/api/v1/events/{event.id}/faces/undo/", {"action_id": response.json()["action_id"]},
                          format="json")
    assert stale.status_code == 409 and "later change" in stale.json()["error"]["message"]
    as_alice.post(f"/api/v1/events/{event.id}/faces/undo/", {"action_id": again.json()["action_id"]}, format="json")
    amy.refresh_from_db()
    assert amy.cover_face_id == other.id
    as_alice.post(f"/api/v1/events/{event.id}/faces/undo/", {"action_id": response.json()["action_id"]}, format="json")
    amy.refresh_from_db()
    assert amy.cover_face_id == old


def test_every_face_endpoint_is_404_for_another_studio_and_read_only_for_a_viewer(event, as_charlie, as_vera):
    amy = person_of(event, "amy")
    face = group_face_of(event, amy)
    photo = Photo.objects.get(id=face.photo_id)
    writes = [
        (f"/api/v1/photos/{photo.id}/faces/", {"box": [5, 5, 60, 60]}),
        (f"/api/v1/events/{event.id}/faces/assign/", {"face_ids": [face.id], "person_id": amy.id}),
        (f"/api/v1/events/{event.id}/faces/set-aside/", {"face_ids": [face.id], "reason": "ignored"}),
        (f"/api/v1/events/{event.id}/faces/restore/", {"face_ids": [face.id]}),
        (f"/api/v1/events/{event.id}/faces/undo/", {"action_id": 1}),
        (f"/api/v1/people/{amy.id}/cover/", {"face_id": face.id}),
    ]
    reads = [f"/api/v1/photos/{photo.id}/faces/", f"/api/v1/events/{event.id}/faces/?person=none"]
    for url, body in writes:
        assert as_charlie.post(url, body, format="json").status_code == 404, url
        assert as_vera.post(url, body, format="json").status_code == 403, url
    for url in reads:
        assert as_charlie.get(url).status_code == 404, url
        assert as_vera.get(url).status_code == 200, url
    face.refresh_from_db()
    assert face.person_id == amy.id and face.set_aside == ""


def test_faces_of_the_other_studio_are_404_inside_my_own_event(event, studio_b, charlie, face_pipeline, as_alice):
    theirs = event_with_faces(studio_b, charlie, PHOTOS[:1], face_pipeline, people=False)
    their_face = Face.objects.filter(event=theirs).first()
    response = as_alice.post(f"/api/v1/events/{event.id}/faces/set-aside/",
                             {"face_ids": [their_face.id], "reason": "ignored"}, format="json")
    assert response.status_code == 404
    their_face.refresh_from_db()
    assert their_face.set_aside == ""
    bad = as_alice.get(f"/api/v1/events/{event.id}/faces/?person=everyone")
    assert bad.status_code == 400


def test_boxes_are_in_the_upright_grid_of_a_photo_with_exif_rotation(studio_a, alice, as_alice, face_pipeline,
                                                                     django_capture_on_commit_callbacks):
    """A camera held upright stores its pixels on their side with EXIF orientation 6: stored boxes,
    the photo's faces size and a drawn box all use the upright grid the viewer shows."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from events.models import PhotoState
    from events.services import event_create, photos_upload
    from recognition.services.faces import photo_faces_replace
    from tests.factories import FACES_DIR

    upright = Image.open(FACES_DIR / "bbt/group/bbt4.jpg").convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show"
    stored = io.BytesIO()
    upright.transpose(Image.Transpose.ROTATE_90).save(stored, "JPEG", quality=92, exif=exif)
    event = event_create(studio=studio_a, user=alice, name="Rotated")
    (outcome,) = photos_upload(event=event, user=alice, files=[SimpleUploadedFile("side.jpg", stored.getvalue())])
    photo = outcome.photo
    Photo.objects.filter(id=photo.id).update(state="processing")
    photo_faces_replace(photo=photo, faces=face_pipeline.analyze(stored.getvalue()), embedder=face_pipeline.embedder)
    photo.refresh_from_db()
    assert photo.state == PhotoState.DONE and (photo.width, photo.height) == (upright.height, upright.width)

    listed = as_alice.get(f"/api/v1/photos/{photo.id}/faces/").json()
    assert (listed["width"], listed["height"]) == upright.size and len(listed["faces"]) >= 5
    target = Face.objects.filter(photo=photo).order_by("-x2").first()
    box = xywh(target)
    assert box[0] + box[2] < upright.width  # inside the upright grid (the stored grid is narrower)
    target.delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(f"/api/v1/photos/{photo.id}/faces/", {"box": box}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["landmarks_found"] is True
    added = response.json()["face"]["box"]
    assert abs(added[0] - target.x1) < 0.1 * (target.x2 - target.x1) and abs(added[1] - target.y1) < 0.1 * (target.y2 - target.y1)
