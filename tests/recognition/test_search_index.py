"""The per-process search index: appends only what was added, drops what must not be found, and
takes its version from the database. Two worker processes are simulated by giving each its own
`recognition.index._local` dict; decryptions are counted row by row."""
import threading
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection, connections

from events.models import Photo, PhotoState
from events.services import event_create, photo_set_hidden
from recognition import index
from recognition.index_version import index_faces_added, index_invalidate, index_state
from recognition.ml.pipeline import DetectedFace
from recognition.models import Face, Person, SearchIndexState
from recognition.search import event_search
from recognition.services.calibration import EmbedderMismatch, event_calibration_switch
from recognition.services.curation import person_update
from recognition.services.exclusion import faces_set_guest_excluded
from recognition.services.faces import photo_faces_replace

DIM = 128
SFACE = SimpleNamespace(name="sface", version="test", dim=DIM)  # what photo_faces_replace records per face


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Live wedding")


@pytest.fixture
def decrypted(monkeypatch):
    """Rows decrypted by the index, per call."""
    calls = []
    real = index.face_embeddings

    def counting(faces, **kwargs):
        calls.append(len(faces))
        return real(faces, **kwargs)

    monkeypatch.setattr(index, "face_embeddings", counting)
    return calls


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Writers bump the version on commit; run those callbacks as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@contextmanager
def process(local: dict):
    """Run the enclosed searches as a worker process whose cached indexes are `local`."""
    saved = index._local
    index._local = local
    try:
        yield
    finally:
        index._local = saved


def unit_vectors(n: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def store_photo(event, vectors: np.ndarray, on_commit, embedder=SFACE) -> Photo:
    """One photo whose faces are `vectors`, stored through the real service (as the ingest engine does)."""
    name = uuid.uuid4().hex
    photo = Photo.objects.create(
        studio=event.studio, event=event, original_filename=f"{name}.jpg", original_key=f"t/{name}.jpg", size=1,
        sha256=name.ljust(64, "0"), content_type="image/jpeg", width=400, height=300, state=PhotoState.PROCESSING)
    faces = [DetectedFace(box=(0, 0, 50, 50), probability=0.99, landmarks=np.zeros((5, 2)), embedding=v, usable=True)
             for v in vectors]
    with on_commit():
        photo_faces_replace(photo=photo, faces=faces, embedder=embedder)
    return photo


def found(event, vector: np.ndarray) -> set[int]:
    return {match.photo_id for match in event_search(event=event, embedding=vector, threshold=0.9)}


@pytest.fixture
def live(event, on_commit):
    """An event with 12 photos of 3 faces each, and the vectors of every face by photo id."""
    vectors = unit_vectors(36, seed=1)
    photos = [store_photo(event, vectors[i:i + 3], on_commit) for i in range(0, 36, 3)]
    return {photo.id: vectors[i * 3:i * 3 + 3] for i, photo in enumerate(photos)}


def test_added_faces_are_appended_decrypting_only_them(event, live, on_commit, decrypted):
    first = next(iter(live))
    with process({}):
        assert found(event, live[first][0]) == {first}
        assert decrypted == [36]
        new = unit_vectors(5, seed=2)
        photo = store_photo(event, new, on_commit)
        assert found(event, new[4]) == {photo.id}
        assert decrypted == [36, 5]  # the 36 held rows are not decrypted again
        assert found(event, live[first][1]) == {first}
    with process({}):  # a process with nothing cached decrypts everything once
        assert found(event, new[0]) == {photo.id} and decrypted[-1] == 41


def test_an_addition_committed_late_with_lower_ids_is_not_missed(event, live, decrypted):
    """Concurrent ingest transactions commit out of id order: 'ids above the highest held' would lose faces."""
    photo_id = next(iter(live))
    early, late = unit_vectors(2, seed=3)
    template = Face.objects.filter(photo_id=photo_id).first()
    with process({}):
        found(event, early)
        slow = _face_copy(template, early)  # the slow transaction takes the lower id ...
        Face.objects.filter(id=slow.id).delete()  # ... and is not committed yet
        fast = _face_copy(template, late)
        index_faces_added(event_id=event.id, face_ids=[fast.id])
        assert found(event, late) == {photo_id}
        Face.objects.bulk_create([slow])  # the slow transaction commits, with its lower id
        index_faces_added(event_id=event.id, face_ids=[slow.id])
        assert slow.id < fast.id and found(event, early) == {photo_id}
    assert decrypted == [36, 1, 1]


def _face_copy(face: Face, vector: np.ndarray) -> Face:
    from recognition.services.faces import face_row
    from recognition.services.keys import event_data_key

    detected = DetectedFace(box=(0, 0, 9, 9), probability=0.9, landmarks=np.zeros((5, 2)), embedding=vector, usable=True)
    row = face_row(face.photo, detected, SFACE, event_data_key(event=face.event))
    return Face.objects.bulk_create([row])[0]


def test_hidden_photo_never_returned_by_a_process_built_before(event, live, decrypted):
    hidden_id, kept_id = list(live)[:2]
    a, b = {}, {}
    for local in (a, b):
        with process(local):
            assert found(event, live[hidden_id][0]) == {hidden_id}
    photo_set_hidden(photo=Photo.objects.get(id=hidden_id), hidden=True)
    for local in (a, b):
        with process(local):
            assert found(event, live[hidden_id][0]) == set() and found(event, live[hidden_id][2]) == set()
            assert found(event, live[kept_id][0]) == {kept_id}
    assert decrypted == [36, 36]  # dropped by id; nothing decrypted again
    photo_set_hidden(photo=Photo.objects.get(id=hidden_id), hidden=False)
    with process(a):
        assert found(event, live[hidden_id][1]) == {hidden_id}
    assert decrypted == [36, 36, 3]  # shown again: only its three faces are decrypted


def test_hidden_person_never_returned_by_a_process_built_before(event, live, on_commit):
    photo_ids = list(live)[3:5]
    person = Person.objects.create(studio=event.studio, event=event)
    # One face per photo, as a person appears (search also checks the selfie against the person's mean face).
    first_faces = [Face.objects.filter(photo_id=photo_id).order_by("id").first().id for photo_id in photo_ids]
    Face.objects.filter(id__in=first_faces).update(person=person)
    held = {}
    with process(held):
        assert found(event, live[photo_ids[0]][0]) == {photo_ids[0]}
    with on_commit():
        person_update(event=event, person_id=person.id, hidden=True)
    for local in (held, {}):
        with process(local):
            assert all(found(event, live[photo_id][0]) == set() for photo_id in photo_ids)
            assert found(event, live[photo_ids[0]][1]) == {photo_ids[0]}  # the photo's other people still are
            other = list(live)[0]
            assert found(event, live[other][0]) == {other}


def test_forgotten_guest_never_returned_by_a_process_built_before(event, live, on_commit, decrypted):
    photo_id = list(live)[6]
    guest_face = Face.objects.filter(photo_id=photo_id).order_by("id").first()
    held = {}
    with process(held):
        assert found(event, live[photo_id][0]) == {photo_id}
    with on_commit():  # a guest's "forget me", as the studio granted it
        assert faces_set_guest_excluded(event=event, face_ids=[guest_face.id], excluded=True) == 1
    cache.clear()  # whatever the shared cache held, the version lives in the database
    with process(held):
        assert found(event, live[photo_id][0]) == set()
        assert found(event, live[photo_id][1]) == {photo_id}  # the photo's other faces stay searchable
    assert decrypted == [36]


def test_version_lives_in_the_database_and_survives_cache_clear(event, live):
    before = index_state(event.id)
    index_invalidate(event_id=event.id)
    index_faces_added(event_id=event.id, face_ids=[])
    cache.clear()
    after = index_state(event.id)
    assert after.version == before.version + 2 and after.removals_version == before.version + 1
    assert after.generation == before.generation
    assert SearchIndexState.objects.get(event=event).version == after.version


def test_replacing_a_photos_faces_drops_the_old_ones(event, live, on_commit):
    photo_id = list(live)[2]
    held = {}
    with process(held):
        assert found(event, live[photo_id][0]) == {photo_id}
    Photo.objects.filter(id=photo_id).update(state=PhotoState.PROCESSING)  # a re-run of detection
    new = unit_vectors(1, seed=4)
    faces = [DetectedFace(box=(0, 0, 5, 5), probability=0.9, landmarks=np.zeros((5, 2)), embedding=new[0], usable=True)]
    with on_commit():
        photo_faces_replace(photo=Photo.objects.get(id=photo_id), faces=faces, embedder=SFACE)
    with process(held):
        assert found(event, live[photo_id][0]) == set() and found(event, new[0]) == {photo_id}


def test_another_embedder_is_refused_and_a_switch_rebuilds_instead_of_mixing(event, live, on_commit, decrypted):
    other = SimpleNamespace(name="sface", version="v2", dim=DIM)
    with process({}):
        found(event, live[list(live)[0]][0])
        with pytest.raises(EmbedderMismatch):
            store_photo(event, unit_vectors(2, seed=5), on_commit, embedder=other)
        event_calibration_switch(event=event, embedder=other)  # what a re-embed does first
        store_photo(event, unit_vectors(2, seed=5), on_commit, embedder=other)
        assert found(event, live[list(live)[0]][0]) == set()  # the old model's faces are out of the index
    assert decrypted == [36, 2]


def test_an_index_handed_out_keeps_its_rows_while_others_append(event, live, on_commit):
    with process({}):
        before = index.event_index(event=event)
        ids, matrix = before.face_ids.copy(), before.matrix.copy()
        for seed in (6, 7):
            store_photo(event, unit_vectors(3, seed=seed), on_commit)
            index.event_index(event=event)
        assert np.array_equal(before.face_ids, ids) and np.array_equal(before.matrix, matrix)
        assert len(index.event_index(event=event).face_ids) == 42


def test_cached_events_stay_bounded(studio_a, alice, on_commit):
    with process({}):
        for i in range(index.MAX_CACHED_EVENTS + 3):
            other = event_create(studio=studio_a, user=alice, name=f"e{i}")
            store_photo(other, unit_vectors(1, seed=i), on_commit)
            index.event_index(event=other)
            assert len(index._local) <= index.MAX_CACHED_EVENTS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_bumps_lose_no_increments(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Concurrent")
    assert not SearchIndexState.objects.filter(event=event).exists()  # the threads race to create the row
    threads_n, bumps = 8, 25
    barrier, errors = threading.Barrier(threads_n), []

    def writer(n: int):
        barrier.wait()
        try:
            for i in range(bumps):
                if (n + i) % 3:
                    index_faces_added(event_id=event.id, face_ids=[n * 1000 + i])
                else:
                    index_invalidate(event_id=event.id)
        except Exception as exc:  # reported below: a lost update or a failed create is a test failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert index_state(event.id).version == threads_n * bumps


def test_a_match_must_agree_with_its_persons_mean_face(event, live, on_commit):
    """A stranger grouped into someone else's person (one look-alike photo) is not shown to a guest
    whose selfie matches only that photo: the person's mean face must match too."""
    base = unit_vectors(1, seed=11)[0]
    noise = unit_vectors(4, seed=12)
    coherent = [base + 0.35 * n for n in noise[:3]]
    coherent = [v / np.linalg.norm(v) for v in coherent]
    stranger = noise[3]
    photos = [store_photo(event, np.array([v]), on_commit) for v in [*coherent, stranger]]
    person = Person.objects.create(studio=event.studio, event=event)
    Face.objects.filter(photo__in=photos).update(person=person)
    with on_commit():
        index_invalidate(event_id=event.id)
    with process({}):
        assert found(event, stranger) == set()  # the face matches, its person's mean does not
        assert photos[0].id in found(event, coherent[0])  # a member that agrees with the mean is shown
        Face.objects.filter(photo=photos[3]).update(person=None)
        with on_commit():
            index_invalidate(event_id=event.id)
        assert found(event, stranger) == {photos[3].id}
