"""recognition/search.py as a guest sees it: which photos a selfie finds, in which order, and which
new photos of a guest are announced (issue 22's mutation gate found these rules unpinned).

Faces are built at exact cosines to a query along one axis (float32, no rounding on the way: the
index keeps the stored rows as they are), so the thresholds can be pinned at their very value."""
from types import SimpleNamespace

import numpy as np
import pytest

from recognition import index
from recognition.models import SearchLog
from recognition.search import event_search, new_photos_search
from recognition.services.calibration import event_calibration, event_calibration_switch
from tests.factories import EventFactory, PhotoFactory
from tests.factories.recognition import FaceFactory, PersonFactory


@pytest.fixture(autouse=True)
def own_process(monkeypatch):
    """Each test starts as a worker process with no cached index."""
    monkeypatch.setattr(index, "_local", {})


@pytest.fixture
def event(db):
    return EventFactory()


def _dim() -> int:
    from recognition.conf import ml_config
    from recognition.ml.embedders import get_embedder

    return get_embedder(ml_config()).dim


def axis(i: int) -> np.ndarray:
    vector = np.zeros(_dim(), np.float32)
    vector[i] = 1
    return vector


def at(cosine: float, *, to: int = 0, away: int = 1) -> np.ndarray:
    """A unit vector whose cosine with axis `to` is exactly float32(`cosine`)."""
    vector = np.zeros(_dim(), np.float32)
    vector[to] = np.float32(cosine)
    vector[away] = np.sqrt(np.float32(1) - vector[to] ** 2)
    return vector


def face(event, embedding, photo=None, **fields):
    return FaceFactory(photo=photo or PhotoFactory(event=event), embedding=embedding, **fields)


def _search_threshold(event) -> float:
    return event_calibration(event=event)[1].search_threshold


def test_one_match_per_photo_its_best_face_best_first(event):
    """The guest sees each photo once, under its best face, the closest photo first."""
    second = face(event, at(0.7))
    worse = face(event, at(0.6))
    best = face(event, at(0.9), photo=worse.photo)
    face(event, at(0.45))  # above the calibrated search threshold, under the one asked for
    matches = event_search(event=event, embedding=axis(0), threshold=0.5)
    assert [(m.photo_id, m.face_id) for m in matches] == [(best.photo_id, best.id), (second.photo_id, second.id)]
    calibration = event_calibration(event=event)[1]
    assert [m.similarity for m in matches] == [pytest.approx(0.9), pytest.approx(0.7)]
    assert [m.confidence for m in matches] == [calibration.match_confidence(m.similarity) for m in matches]
    assert event_search(event=event, embedding=axis(0), threshold=0.5, limit=1) == matches[:1]


def test_a_hidden_face_leaves_its_photo_findable_by_its_other_faces(event):
    """Faces hidden from a guest (exclude_face_ids) are skipped, not their whole photo."""
    other = face(event, at(0.7))
    kept = face(event, at(0.6))
    hidden = face(event, at(0.9), photo=kept.photo)
    matches = event_search(event=event, embedding=axis(0), threshold=0.5, exclude_face_ids=frozenset({hidden.id}))
    assert [(m.photo_id, m.face_id) for m in matches] == [(other.photo_id, other.id), (kept.photo_id, kept.id)]


def test_a_face_exactly_at_the_search_threshold_is_shown_and_one_just_under_is_not(event):
    threshold = _search_threshold(event)
    only = face(event, at(threshold))  # the event's one face
    assert [m.face_id for m in event_search(event=event, embedding=axis(0))] == [only.id]
    # A query handed over in float64 is compared in the index's float32, the same face found.
    assert [m.face_id for m in event_search(event=event, embedding=axis(0).astype(np.float64))] == [only.id]
    other = EventFactory()
    face(other, at(float(np.nextafter(np.float32(threshold), np.float32(0)))))
    assert event_search(event=other, embedding=axis(0)) == []


def test_an_explicit_threshold_overrides_the_events(event):
    face(event, at(0.6))
    assert event_search(event=event, embedding=axis(0), threshold=0.61) == []
    assert len(event_search(event=event, embedding=axis(0), threshold=0.6)) == 1


def test_every_search_is_logged_for_the_studio_with_its_time_and_count(event, monkeypatch):
    face(event, at(0.9))
    face(event, at(0.8))
    ticks = iter([100.0, 100.25])
    monkeypatch.setattr("recognition.search.time", SimpleNamespace(perf_counter=lambda: next(ticks)))
    event_search(event=event, embedding=axis(0), threshold=0.5)
    log = SearchLog.objects.get(event=event)
    assert (log.studio_id, log.matches) == (event.studio_id, 2) and log.search_ms == pytest.approx(250.0)


def test_an_event_without_faces_finds_nothing_and_logs_the_search(event):
    assert event_search(event=event, embedding=axis(0)) == []
    assert SearchLog.objects.get(event=event).matches == 0


def _two_face_person(event, first: np.ndarray, second: np.ndarray):
    person = PersonFactory(event=event)
    return face(event, first, person=person), face(event, second, person=person)


def test_a_match_is_shown_only_if_the_selfie_agrees_with_the_persons_mean_face(event):
    """Person mean of e0 and e1: cosine 0.707 to e0 (agrees); a look-alike at 0.6 to one face of a
    person (0.6 e0 + 0.8 e4, and e5) is at 0.42 to that person's mean: not shown."""
    member, _ = _two_face_person(event, axis(0), axis(1))
    look_alike, _ = _two_face_person(event, at(0.6, away=4), axis(5))
    lone = face(event, at(0.55), person=PersonFactory(event=event))  # a one-face person: nothing to agree with
    matches = event_search(event=event, embedding=axis(0), threshold=0.5)
    assert [m.face_id for m in matches] == [member.id, lone.id]
    assert look_alike.id not in {m.face_id for m in matches}


def test_a_one_face_person_is_shown_from_the_search_threshold_not_the_persons(event):
    """A person with one searchable face has no mean face to agree with: a match between the search
    threshold (0.422) and the person threshold (0.45) is shown."""
    lone = face(event, at(0.44), person=PersonFactory(event=event))
    assert [m.face_id for m in event_search(event=event, embedding=axis(0))] == [lone.id]


# --- new photos of me (sharing.notify) -------------------------------------------------------------

def test_new_photos_are_matched_per_template_among_the_batch_only(event):
    """Each kept template gets the batch's photos that match it (faces stored after the index was
    built included); older photos, a template of another model and a look-alike stay out."""
    older = face(event, at(0.9))
    index.event_index(event=event)  # a worker's index, built before the batch's faces
    mine = face(event, at(0.8))
    edge = face(event, at(_search_threshold(event), to=2, away=3))  # exactly at the threshold
    too_far = face(event, at(0.3))
    look_alike, far = _two_face_person(event, at(0.6, away=4), axis(5))
    batch = [mine.photo_id, edge.photo_id, too_far.photo_id, look_alike.photo_id, far.photo_id]
    templates = [axis(0), axis(2).astype(np.float64), np.ones(7, np.float32)]  # the last: another model's
    results = new_photos_search(event=event, embeddings=templates, photo_ids=batch)
    assert [[(m.photo_id, m.face_id) for m in found] for found in results] == [
        [(mine.photo_id, mine.id)], [(edge.photo_id, edge.id)], []]
    assert results[0][0].confidence == event_calibration(event=event)[1].match_confidence(results[0][0].similarity)
    assert new_photos_search(event=event, embeddings=templates[2:], photo_ids=batch) == [[]]
    # The index was brought up to date on the way: a search finds the new photo too.
    assert {m.photo_id for m in event_search(event=event, embedding=axis(0), threshold=0.5)} == {
        older.photo_id, mine.photo_id}


def test_new_photos_leave_out_each_templates_own_hidden_faces(event):
    mine = face(event, at(0.8))
    edge = face(event, at(0.9, to=2, away=3))
    templates, batch = [axis(0), axis(2)], [mine.photo_id, edge.photo_id]
    assert new_photos_search(event=event, embeddings=templates, photo_ids=batch,
                             exclude_face_ids=[frozenset({mine.id}), frozenset()]) == [
        [], new_photos_search(event=event, embeddings=templates, photo_ids=batch)[1]]
    assert [len(found) for found in new_photos_search(event=event, embeddings=templates, photo_ids=batch)] == [1, 1]


def test_a_batch_without_faces_in_an_event_without_faces_announces_nothing(event):
    photo = PhotoFactory(event=event)  # no face found in it: the event has no model recorded yet
    assert new_photos_search(event=event, embeddings=[axis(0), axis(1)], photo_ids=[photo.id]) == [[], []]


def test_the_events_first_photo_is_announced(event):
    first = face(event, at(0.8))
    assert new_photos_search(event=event, embeddings=[axis(0)], photo_ids=[first.photo_id])[0][0].face_id == first.id


def test_during_a_re_embed_the_old_models_faces_are_never_compared(event):
    old = face(event, at(0.9))
    index.event_index(event=event)  # cached with the old model's rows
    event_calibration_switch(event=event, embedder=SimpleNamespace(name=old.embedder_name, version="next", dim=_dim()))
    assert new_photos_search(event=event, embeddings=[axis(0)], photo_ids=[old.photo_id]) == [[]]
    assert event_search(event=event, embedding=axis(0)) == []
