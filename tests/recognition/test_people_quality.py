"""Issue 11 on real photos: split people merge, small faces join, non-faces are flagged, one model
per event (calibration recorded and enforced), merge suggestions over the API."""
import io
from collections import Counter

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from events.models import Photo, PhotoState
from events.services import event_create, photos_upload
from recognition.ml.quality import SMALL_FACE_PREFIX
from recognition.models import EventCalibration, Face, Person
from recognition.services.calibration import EmbedderMismatch, event_calibration_record
from recognition.services.faces import photo_faces_replace
from recognition.services.people import event_people_update
from tests.factories import FACES_DIR
from tests.recognition.group_truth import truth_name
from tests.recognition.helpers import bbt_people_paths, event_with_faces


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _add_photos(event, user, named: dict[str, bytes], pipeline) -> None:
    files = [SimpleUploadedFile(name, data) for name, data in named.items()]
    for outcome, data in zip(photos_upload(event=event, user=user, files=files), named.values()):
        assert outcome.status == "created", outcome.reason
        Photo.objects.filter(id=outcome.photo.id).update(state=PhotoState.PROCESSING)
        photo_faces_replace(photo=outcome.photo, faces=pipeline.analyze(data), embedder=pipeline.embedder)


def _person_of(event, filename: str) -> int:
    return Face.objects.get(event=event, photo__original_filename=filename).person_id


@pytest.fixture
def people(studio_a, alice, face_pipeline):
    return event_with_faces(studio_a, alice, bbt_people_paths(), face_pipeline)


def test_a_split_person_is_merged_and_no_one_else(people):
    """Sheldon cut into two machine-made people (as separate clusters would leave him) is one again."""
    sheldon = _person_of(people, "sheldon1.png")
    second = Person.objects.create(studio_id=people.studio_id, event=people)
    Face.objects.filter(event=people, photo__original_filename__in=["sheldon4.png", "sheldon5.png"]).update(person=second)
    result = event_people_update(event=people, recluster_unassigned=True)
    assert result["merged_people"] == 1
    assert {_person_of(people, f"sheldon{i}.png") for i in range(1, 6)} == {sheldon}  # the bigger part's id
    assert not Person.objects.filter(id=second.id).exists()
    assert Person.objects.filter(event=people).count() == 8


def test_two_people_seen_in_one_photo_are_never_merged(studio_a, alice, face_pipeline):
    """bbt1 shows raj and howard side by side: whatever their mean faces say, they stay two."""
    event = event_with_faces(studio_a, alice, ["bbt/group/bbt1.jpg"], face_pipeline)
    faces = list(Face.objects.filter(event=event, usable=True))
    assert len({face.person_id for face in faces}) == len(faces) == 4
    event_people_update(event=event, recluster_unassigned=True)
    assert len(set(Face.objects.filter(event=event, usable=True).values_list("person_id", flat=True))) == 4


def test_a_small_face_in_a_group_shot_joins_its_person(people, alice, face_pipeline):
    """bbt3 shrunk until its faces are 20-31 px: flagged as small, yet they join their people."""
    photo = Image.open(FACES_DIR / "bbt/group/bbt3.jpg").convert("RGB")
    scale = 0.5
    small = photo.resize((round(photo.width * scale), round(photo.height * scale)), Image.Resampling.LANCZOS)
    _add_photos(people, alice, {"bbt3_small.jpg": _jpeg(small)}, face_pipeline)
    event_people_update(event=people, recluster_unassigned=True)
    person_of_name = {name: _person_of(people, f"{name}1.png") for name in ("sheldon", "howard", "penny", "raj", "leonard")}
    small_faces = [f for f in Face.objects.filter(event=people, photo__original_filename="bbt3_small.jpg")
                   if any(r.startswith(SMALL_FACE_PREFIX) for r in f.quality_reasons)]
    assert len(small_faces) >= 3, [f.quality_reasons for f in Face.objects.filter(photo__original_filename="bbt3_small.jpg")]
    joined = Counter()
    for face in small_faces:
        assert not face.usable  # never searched, never a new person
        name = truth_name("bbt3.jpg", [v / scale for v in face.box])
        assert face.person_id in (None, person_of_name[name]), (name, face.box)  # never someone else
        joined[face.person_id == person_of_name[name]] += 1
    assert joined[True] >= 3, joined
    assert Person.objects.filter(event=people).count() == 8  # no new people from small faces


def _painted_over(relative: str) -> Image.Image:
    """The photo with every face the pipeline finds painted over (box grown to 2.2x)."""
    from recognition.conf import face_pipeline

    image = Image.open(FACES_DIR / relative).convert("RGB")
    fill = tuple(int(v) for v in np.median(np.asarray(image).reshape(-1, 3), axis=0))
    draw = ImageDraw.Draw(image)
    for face in face_pipeline().analyze(FACES_DIR / relative):
        x1, y1, x2, y2 = face.box
        draw.rectangle([x1 - 0.6 * (x2 - x1), y1 - 0.6 * (y2 - y1), x2 + 0.6 * (x2 - x1), y2 + 0.6 * (y2 - y1)], fill=fill)
    return image


def test_non_faces_are_rejected_and_real_faces_are_not(face_pipeline):
    """What MTCNN still finds once the faces are painted out (a sleeve, a background patch) is
    flagged by the verifier; none of the real faces of the group shots is."""
    leftovers = [f for name in ("bbt/group/bbt1.jpg", "portraits/obama.jpg") for f in face_pipeline.analyze(_painted_over(name))]
    assert leftovers, "MTCNN fires on something in these painted-over photos"
    assert all(not f.usable and any(r.startswith("not a face") for r in f.quality_reasons) for f in leftovers)
    for k in range(1, 6):
        for face in face_pipeline.analyze(FACES_DIR / f"bbt/group/bbt{k}.jpg"):
            assert not any(r.startswith("not a face") for r in face.quality_reasons), (k, face.box)


def test_the_event_records_its_model_and_refuses_another(people, face_pipeline):
    calibration = EventCalibration.objects.get(event=people)
    assert (calibration.embedder_name, calibration.embedder_version) == ("sface", face_pipeline.embedder.version)
    assert calibration.search_threshold > calibration.match_threshold  # guests: precision first
    other = type("Other", (), {"name": "sface-fast", "version": "x", "dim": 128})()
    with pytest.raises(EmbedderMismatch):
        event_calibration_record(event_id=people.id, embedder=other)


def test_merge_suggestions_rank_a_split_person_first(people, as_alice, as_charlie):
    second = Person.objects.create(studio_id=people.studio_id, event=people, curated=True)  # a user split him
    Face.objects.filter(event=people, photo__original_filename__in=["raj4.png", "raj5.png"]).update(person=second)
    response = as_alice.get(f"/api/v1/events/{people.id}/people/suggestions/")
    assert response.status_code == 200, response.content
    suggestions = response.json()
    assert suggestions and set(suggestions[0]["person_ids"]) == {second.id, _person_of(people, "raj1.png")}
    assert [s["similarity"] for s in suggestions] == sorted((s["similarity"] for s in suggestions), reverse=True)
    assert as_charlie.get(f"/api/v1/events/{people.id}/people/suggestions/").status_code == 404
