"""Every calibrated threshold that decides what a user sees, pinned at its boundary.

Two kinds of rows. Real pairs: faces of shared/data/faces/lfw-dev photos, embedded by the project's
pipeline, whose cosine lies just on one side of a threshold (each row first checks that it still
does, so a new model makes the row fail loudly instead of silently testing nothing). Cosine rows:
a real face and a query built at an exact cosine from it, just above and just below.

- Guest search shows a photo only at the event's search threshold (0.422 for sface, false accept
  rate 1e-4), never at the grouping threshold (0.363): a stranger at 0.417 stays hidden.
- A new face joins an existing person above the grouping threshold (0.363).
- A match is shown only if the selfie also agrees with the mean face of the matched person (0.45).
- A small face (20-32 px) joins a person at the small-face threshold (0.40), not at the grouping
  threshold: a small face at 0.395 to its person's face stays alone.
Thresholds and their origin: recognition/ml/calibration.py.
"""
import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.models import Photo, PhotoState
from events.services import event_create, photos_upload
from recognition.ml.calibration import SFACE
from recognition.ml.quality import SMALL_FACE_PREFIX
from recognition.models import Face
from recognition.search import event_search
from recognition.services.faces import photo_faces_replace
from recognition.services.people import event_people_update
from tests.factories import FACES_DIR, EventFactory, PhotoFactory
from tests.factories.recognition import FaceFactory, PersonFactory

LFW = FACES_DIR / "lfw-dev"
GROUPING, SEARCH, SMALL = SFACE.threshold, SFACE.search_threshold, SFACE.small_face_threshold
PERSON = SFACE.search_person_threshold
# How lfw-dev photos are made small: 150 px photos with ~60 px faces, shrunk so the face is 20-32 px
# (scripts/calibrate_small_faces.py does the same).
SMALL_SCALE = 0.4


def test_the_thresholds_are_the_calibrated_ones():
    """The rows below are chosen around these values (recognition/ml/calibration.py, sface)."""
    assert (GROUPING, SEARCH, SMALL, PERSON) == (0.363, 0.422, 0.40, 0.45)


# --- real pairs --------------------------------------------------------------------------------

# selfie, the event's photo, the cosine window the pair must lie in, is the photo shown to the guest?
SEARCH_PAIRS = [
    pytest.param("Arminio_Fraga/Arminio_Fraga_0004.jpg", "Costas_Simitis/Costas_Simitis_0006.jpg",
                 (GROUPING, SEARCH), False, id="a stranger at 0.417 (groups, but is no search match): hidden"),
    pytest.param("Colin_Montgomerie/Colin_Montgomerie_0002.jpg", "Colin_Montgomerie/Colin_Montgomerie_0004.jpg",
                 (SEARCH, SEARCH + 0.02), True, id="the same person at 0.424: shown"),
]
# the person's (full-size) photo, the photo shrunk to a small face, the window, does the small face join?
SMALL_FACE_PAIRS = [
    pytest.param("Colin_Montgomerie/Colin_Montgomerie_0004.jpg", "Colin_Montgomerie/Colin_Montgomerie_0003.jpg",
                 (GROUPING, SMALL), False, id="a small face at 0.395 (groups, but under 0.40): stays alone"),
    pytest.param("Ashanti/Ashanti_0001.jpg", "Ashanti/Ashanti_0003.jpg",
                 (SMALL, SMALL + 0.02), True, id="a small face at 0.406: joins its person"),
]


def _only_face(faces, *, usable: bool = True):
    chosen = [face for face in faces if face.usable == usable]
    assert len(chosen) == 1, [face.quality_reasons for face in faces]
    return chosen[0]


def _event_of(studio, user, images: dict[str, Image.Image], pipeline, event=None):
    """Upload the images as PNG photos and store the pipeline's faces for them, as the engine would."""
    event = event or event_create(studio=studio, user=user, name="Boundaries")
    files = []
    for name, image in images.items():
        out = io.BytesIO()
        image.save(out, "PNG")
        files.append(SimpleUploadedFile(name, out.getvalue(), content_type="image/png"))
    for outcome, image in zip(photos_upload(event=event, user=user, files=files), images.values()):
        assert outcome.status == "created", outcome.reason
        Photo.objects.filter(id=outcome.photo.id).update(state=PhotoState.PROCESSING)
        photo_faces_replace(photo=outcome.photo, faces=pipeline.analyze(image), embedder=pipeline.embedder)
    return event


def _rgb(relative: str) -> Image.Image:
    with Image.open(LFW / relative) as image:
        return image.convert("RGB")


@pytest.mark.parametrize("selfie, photo, window, shown", SEARCH_PAIRS)
def test_guest_search_shows_a_photo_only_from_the_search_threshold(studio_a, alice, face_pipeline, selfie, photo,
                                                                  window, shown):
    query = _only_face(face_pipeline.analyze(LFW / selfie)).embedding
    event = _event_of(studio_a, alice, {"photo.png": _rgb(photo)}, face_pipeline)
    stored = _only_face(face_pipeline.analyze(_rgb(photo)))
    cosine = float(stored.embedding @ query)
    assert window[0] < cosine < window[1], f"{selfie} vs {photo}: {cosine:.4f} left {window}: pick another pair"

    matches = event_search(event=event, embedding=query)
    assert [match.photo_id for match in matches] == ([event.photos.get().id] if shown else [])


@pytest.mark.parametrize("person_photo, small_photo, window, joins", SMALL_FACE_PAIRS)
def test_a_small_face_joins_a_person_only_from_the_small_face_threshold(studio_a, alice, face_pipeline, person_photo,
                                                                        small_photo, window, joins):
    full = _rgb(small_photo)
    small = full.resize((round(full.width * SMALL_SCALE), round(full.height * SMALL_SCALE)), Image.LANCZOS)
    event = _event_of(studio_a, alice, {"person.png": _rgb(person_photo)}, face_pipeline)
    event_people_update(event=event, recluster_unassigned=True)  # the person forms
    _event_of(studio_a, alice, {"small.png": small}, face_pipeline, event=event)  # a later photo: a small face
    event_people_update(event=event)

    person_face = Face.objects.get(event=event, photo__original_filename="person.png", usable=True)
    small_face = Face.objects.get(event=event, photo__original_filename="small.png")
    assert small_face.quality_reasons and all(r.startswith(SMALL_FACE_PREFIX) for r in small_face.quality_reasons)
    cosine = float(_only_face(face_pipeline.analyze(small), usable=False).embedding
                   @ _only_face(face_pipeline.analyze(_rgb(person_photo))).embedding)
    assert window[0] < cosine < window[1], f"{small_photo} vs {person_photo}: {cosine:.4f} left {window}"

    assert person_face.person_id is not None
    assert small_face.person_id == (person_face.person_id if joins else None)


# --- cosine rows ---------------------------------------------------------------------------------

def at_cosine(face: np.ndarray, cosine: float, seed: int = 7) -> np.ndarray:
    """A unit vector whose cosine with `face` (a unit vector) is exactly `cosine`."""
    face = np.asarray(face, np.float64)
    other = np.random.default_rng(seed).normal(size=face.shape)
    other -= (other @ face) * face
    other /= np.linalg.norm(other)
    return (cosine * face + np.sqrt(1 - cosine ** 2) * other).astype(np.float32)


@pytest.fixture(scope="module")
def real_face(face_pipeline) -> np.ndarray:
    return _only_face(face_pipeline.analyze(LFW / "Colin_Montgomerie/Colin_Montgomerie_0004.jpg")).embedding


@pytest.mark.parametrize("cosine, shown", [
    (GROUPING + 0.001, False), (SEARCH - 0.001, False), (SEARCH + 0.001, True), (0.9, True),
])
def test_guest_search_at_cosines_around_its_threshold(db, real_face, cosine, shown):
    face = FaceFactory(photo=PhotoFactory(event=EventFactory()), embedding=real_face)
    matches = event_search(event=face.event, embedding=at_cosine(real_face, cosine))
    assert [match.face_id for match in matches] == ([face.id] if shown else [])


@pytest.mark.parametrize("cosine, joins", [(GROUPING - 0.001, False), (GROUPING + 0.001, True)])
def test_a_new_face_joins_a_person_from_the_grouping_threshold(db, real_face, cosine, joins):
    person = PersonFactory()
    member = FaceFactory(photo=PhotoFactory(event=person.event), person=person, embedding=real_face)
    new = FaceFactory(photo=PhotoFactory(event=person.event), embedding=at_cosine(real_face, cosine))
    event_people_update(event=person.event, recluster_unassigned=False)  # assignment only, no clustering
    new.refresh_from_db()
    assert new.person_id == (member.person_id if joins else None)


@pytest.mark.parametrize("cosine, joins", [
    (GROUPING + 0.001, False), (SMALL - 0.001, False), (SMALL + 0.001, True),
])
def test_a_small_face_at_cosines_around_its_threshold(db, real_face, cosine, joins):
    person = PersonFactory()
    member = FaceFactory(photo=PhotoFactory(event=person.event), person=person, embedding=real_face)
    small = FaceFactory(photo=PhotoFactory(event=person.event), embedding=at_cosine(real_face, cosine), usable=False,
                        quality_reasons=[f"{SMALL_FACE_PREFIX} (24 px < 32 px): may join a known person"])
    event_people_update(event=person.event, recluster_unassigned=True)
    small.refresh_from_db()
    assert small.person_id == (member.person_id if joins else None)


@pytest.mark.parametrize("to_mean_face, shown", [(SEARCH + 0.001, False), (PERSON - 0.001, False), (PERSON + 0.001, True)])
def test_a_search_match_must_also_agree_with_the_persons_mean_face(db, real_face, to_mean_face, shown):
    """A selfie at 0.60 to one face of a two-face person is shown only if it is at least 0.45 to the
    person's mean face too (a stranger close to one photo is rarely close on average)."""
    person = PersonFactory()
    other = at_cosine(real_face, 0.1, seed=11)  # the person's second face, far from the first
    matched = FaceFactory(photo=PhotoFactory(event=person.event), person=person, embedding=real_face)
    FaceFactory(photo=PhotoFactory(event=person.event), person=person, embedding=other)
    selfie = _selfie(real_face, other, to_face=0.60, to_mean=to_mean_face)
    assert abs(float(selfie @ real_face) - 0.60) < 1e-4

    matches = event_search(event=person.event, embedding=selfie)
    assert [match.face_id for match in matches] == ([matched.id] if shown else [])


def _selfie(first: np.ndarray, second: np.ndarray, *, to_face: float, to_mean: float) -> np.ndarray:
    """A unit vector at `to_face` to `first` and `to_mean` to the mean of `first` and `second`."""
    e1 = np.asarray(first, np.float64)
    p = float(np.asarray(second, np.float64) @ e1)
    e2 = (np.asarray(second, np.float64) - p * e1) / np.sqrt(1 - p * p)
    norm = np.sqrt(2 + 2 * p)  # |first + second|
    beta = (to_mean * norm - to_face * (1 + p)) / np.sqrt(1 - p * p)
    e3 = np.random.default_rng(3).normal(size=e1.shape)
    e3 -= (e3 @ e1) * e1 + (e3 @ e2) * e2
    e3 /= np.linalg.norm(e3)
    return (to_face * e1 + beta * e2 + np.sqrt(1 - to_face ** 2 - beta ** 2) * e3).astype(np.float32)
