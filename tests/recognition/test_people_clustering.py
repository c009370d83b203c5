"""People from real photos: accuracy against folder labels, group shots, cannot-link."""
from collections import Counter, defaultdict
from pathlib import PurePosixPath

import numpy as np
import pytest

from recognition.clustering.metrics import pairwise_scores
from recognition.models import Face, Person
from tests.recognition.group_truth import truth_name
from tests.recognition.helpers import bbt_group_paths, bbt_people_paths, event_with_faces


def _name_of(face: Face) -> str | None:
    path = PurePosixPath(face.photo.original_filename)
    if path.name.startswith("bbt") and path.suffix == ".jpg":
        return truth_name(path.name, face.box)
    return path.stem.rstrip("0123456789")


@pytest.fixture
def event(studio_a, alice, face_pipeline):
    return event_with_faces(studio_a, alice, bbt_people_paths() + bbt_group_paths(), face_pipeline)


def test_people_match_the_folder_labels(studio_a, alice, face_pipeline):
    event = event_with_faces(studio_a, alice, bbt_people_paths(), face_pipeline)
    faces = list(Face.objects.filter(event=event, usable=True).select_related("photo"))
    assert len(faces) >= 40
    truth = [_name_of(face) for face in faces]
    predicted = [face.person_id if face.person_id else -1 for face in faces]
    scores = pairwise_scores(np.unique(truth, return_inverse=True)[1], np.array(predicted))
    print(f"\nbbt/people pairwise precision {scores.precision:.3f} recall {scores.recall:.3f} F1 {scores.f1:.3f}")
    assert scores.f1 >= 0.97
    assert Person.objects.filter(event=event).count() == 8


def test_group_shot_faces_join_their_person(event):
    faces = list(Face.objects.filter(event=event, usable=True).select_related("photo"))
    person_of_name = {}
    for name, persons in _persons_by_name(faces, group=False).items():
        person_of_name[name] = Counter(persons).most_common(1)[0][0]
    wrong = []
    for face in faces:
        if not face.photo.original_filename.startswith("bbt"):
            continue
        name = _name_of(face)
        expected = person_of_name.get(name)  # None for the bystander: must not join any of the 8
        if (face.person_id != expected) if name else (face.person_id in person_of_name.values()):
            wrong.append((face.photo.original_filename, name, face.person_id, expected))
    assert not wrong, wrong


def test_no_person_has_two_faces_in_one_photo(event):
    seen = Counter(Face.objects.filter(event=event, person__isnull=False).values_list("person_id", "photo_id"))
    assert max(seen.values()) == 1


def _persons_by_name(faces, *, group: bool) -> dict:
    result = defaultdict(list)
    for face in faces:
        if face.photo.original_filename.startswith("bbt") == group:
            result[_name_of(face)].append(face.person_id)
    return result
