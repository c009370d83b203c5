"""Curation through the API: it survives re-clustering, honours cannot-link, and is isolated per studio."""
import pytest

from recognition.models import Face, Person
from recognition.services.people import event_recluster
from tests.recognition.helpers import event_with_faces

PHOTOS = [f"bbt/people/{name}/{name}{i}.png" for name in ("amy", "penny", "raj") for i in (1, 2, 3)]
PHOTOS += ["bbt/group/bbt4.jpg"]  # amy, penny and raj together, with leonard, sheldon and bernadette


@pytest.fixture
def event(studio_a, alice, face_pipeline):
    return event_with_faces(studio_a, alice, PHOTOS, face_pipeline)


def person_named(event, stem: str) -> Person:
    """The person who holds the faces of bbt/people/<stem>*.png."""
    face = Face.objects.filter(event=event, photo__original_filename=f"{stem}1.png").first()
    return face.person


def test_people_listed_with_counts_photos_and_cover(event, as_alice):
    people = as_alice.get(f"/api/v1/events/{event.id}/people/").json()
    amy = next(p for p in people if p["id"] == person_named(event, "amy").id)
    assert amy["face_count"] == 4 and len(amy["photo_ids"]) == 4 and amy["photo_count"] == 4
    thumbnail = as_alice.get(amy["cover_thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"


def test_rename_survives_recluster(event, as_alice, django_capture_on_commit_callbacks):
    amy = person_named(event, "amy")
    assert as_alice.patch(f"/api/v1/people/{amy.id}/", {"name": "Amy F."}, format="json").status_code == 200
    faces_before = set(amy.faces.values_list("id", flat=True))
    with django_capture_on_commit_callbacks(execute=True):  # the queued re-cluster runs (eager) on commit
        assert as_alice.post(f"/api/v1/events/{event.id}/people/recluster/").status_code == 202
    assert as_alice.get(f"/api/v1/events/{event.id}/people/recluster/").json()["state"] == "done"
    amy.refresh_from_db()
    assert amy.name == "Amy F." and set(amy.faces.values_list("id", flat=True)) == faces_before


def test_merge_survives_recluster_and_undo_restores(event, as_alice):
    amy, penny = person_named(event, "amy"), person_named(event, "penny")
    # amy and penny are both in bbt4: the merge must be refused (cannot-link) ...
    response = as_alice.post(f"/api/v1/people/{amy.id}/merge/", {"person_ids": [penny.id]}, format="json")
    assert response.status_code == 400 and "together in photo" in response.json()["error"]["message"]
    # ... until the group-shot face is rejected from penny
    group_face = penny.faces.get(photo__original_filename="bbt4.jpg")
    assert as_alice.post(f"/api/v1/people/{penny.id}/reject/", {"face_ids": [group_face.id]}, format="json").status_code == 200
    response = as_alice.post(f"/api/v1/people/{amy.id}/merge/", {"person_ids": [penny.id]}, format="json")
    assert response.status_code == 200 and response.json()["face_count"] == 7
    event_recluster(event=event)
    assert Person.objects.filter(id=penny.id).count() == 0 and amy.faces.count() == 7
    assert as_alice.post(f"/api/v1/events/{event.id}/people/undo/").json()["undone"] == "merge"
    assert Person.objects.get(id=penny.id).faces.count() == 3 and amy.faces.count() == 4


def test_rejected_face_never_returns_to_that_person(event, as_alice):
    raj = person_named(event, "raj")
    face = raj.faces.get(photo__original_filename="raj2.png")
    as_alice.post(f"/api/v1/people/{raj.id}/reject/", {"face_ids": [face.id]}, format="json")
    for _ in range(2):
        event_recluster(event=event)
        face.refresh_from_db()
        assert face.person_id != raj.id


def test_split_survives_recluster(event, as_alice):
    raj = person_named(event, "raj")
    listed = as_alice.get(f"/api/v1/people/{raj.id}/faces/").json()
    face = raj.faces.get(photo__original_filename="raj3.png")
    assert face.id in [row["id"] for row in listed] and len(listed) == 4
    response = as_alice.post(f"/api/v1/people/{raj.id}/split/", {"face_ids": [face.id]}, format="json")
    assert response.status_code == 201
    new_id = response.json()["id"]
    event_recluster(event=event)
    assert list(Person.objects.get(id=new_id).faces.values_list("id", flat=True)) == [face.id]


def test_bad_curation_input(event, as_alice):
    amy, raj = person_named(event, "amy"), person_named(event, "raj")
    raj_face = raj.faces.first()
    assert as_alice.post(f"/api/v1/people/{amy.id}/split/", {"face_ids": [raj_face.id]}, format="json").status_code == 400
    assert as_alice.patch(f"/api/v1/people/{amy.id}/", {"name": "   "}, format="json").status_code == 400
    assert as_alice.patch(f"/api/v1/people/{amy.id}/", {"name": "x" * 101}, format="json").status_code == 400
    assert as_alice.post(f"/api/v1/people/{amy.id}/merge/", {"person_ids": []}, format="json").status_code == 400
    assert Person.objects.get(id=amy.id).name == ""


def test_merging_people_of_another_event_is_404(event, as_alice, studio_a, alice, face_pipeline):
    other = event_with_faces(studio_a, alice, ["bbt/people/amy/amy4.png"], face_pipeline)
    stranger = Person.objects.get(event=other)
    amy = person_named(event, "amy")
    response = as_alice.post(f"/api/v1/people/{amy.id}/merge/", {"person_ids": [stranger.id]}, format="json")
    assert response.status_code == 404
    assert Person.objects.filter(id=stranger.id).exists()


def test_other_studio_gets_404_everywhere(event, as_charlie, as_vera):
    amy = person_named(event, "amy")
    face = amy.faces.first()
    endpoints = [
        ("get", f"/api/v1/events/{event.id}/people/", None), ("get", f"/api/v1/events/{event.id}/analytics/", None),
        ("post", f"/api/v1/events/{event.id}/people/recluster/", None), ("post", f"/api/v1/events/{event.id}/people/undo/", None),
        ("get", f"/api/v1/people/{amy.id}/", None), ("get", f"/api/v1/people/{amy.id}/faces/", None), ("patch", f"/api/v1/people/{amy.id}/", {"name": "x"}),
        ("post", f"/api/v1/people/{amy.id}/merge/", {"person_ids": [amy.id + 1]}),
        ("post", f"/api/v1/people/{amy.id}/split/", {"face_ids": [face.id]}),
        ("post", f"/api/v1/people/{amy.id}/reject/", {"face_ids": [face.id]}),
        ("get", f"/api/v1/faces/{face.id}/thumbnail", None),
    ]
    for method, url, data in endpoints:
        response = getattr(as_charlie, method)(url, data, format="json")
        assert response.status_code == 404, (method, url)
        if method != "get":  # a viewer of the right studio sees but may not change
            assert getattr(as_vera, method)(url, data, format="json").status_code == 403, (method, url)
    amy.refresh_from_db()
    assert amy.name == "" and amy.faces.count() == 4


def test_face_thumbnails_stay_inside_the_photo():
    from recognition.ml.facecrop import square_inside

    assert square_inside((0, 0, 150, 150), 150, 150) == (0, 0, 150, 150)  # a face filling a crop
    x1, y1, x2, y2 = square_inside((10, 20, 60, 90), 400, 300)
    assert x1 >= 0 and y1 >= 0 and x2 - x1 == y2 - y1 and x2 - x1 > 70  # margin kept where there is room
