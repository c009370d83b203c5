"""Embeddings are stored only as AES-GCM ciphertext under a per-event key wrapped by the master key."""
import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from events.models import Event
from recognition import crypto
from recognition.models import EventKey, Face
from recognition.services.faces import face_embeddings
from recognition.services.keys import event_data_key, event_key_destroy
from tests.recognition.helpers import detect_into_event

OBAMA_BIDEN = "portraits/two_people_obama_biden.jpg"


@pytest.fixture
def faces(studio_a, alice, face_pipeline):
    return detect_into_event(studio_a, alice, [OBAMA_BIDEN], face_pipeline)


def test_raw_rows_hold_no_plaintext_vector(faces, face_pipeline):
    event = faces[0].event
    vectors = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id)
    assert vectors.shape == (2, face_pipeline.embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Face._meta.db_table}")
        raw_rows = [b"|".join(_as_bytes(value) for value in row) for row in cursor.fetchall()]
    for vector in vectors:
        for chunk in (vector.astype("<f4").tobytes()[:16], vector.astype("<f8").tobytes()[:16], repr(float(vector[0])).encode()):
            assert not any(chunk in row for row in raw_rows)


def test_embedding_bound_to_its_face_and_event(faces):
    first, second = faces
    key = event_data_key(event=first.event)
    with pytest.raises(crypto.EmbeddingDecryptError):
        crypto.decrypt_embedding(bytes(first.embedding_ciphertext), data_key=key, event_id=first.event_id, face_id=str(second.uid))


def test_rotation_rewraps_and_old_key_can_be_dropped(faces, settings):
    event = faces[0].event
    before = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id)
    new_key = crypto.generate_master_key("k2")
    settings.VISAGE_MASTER_KEYS = f"{new_key},{settings.VISAGE_MASTER_KEYS}"
    call_command("rotate_master_key")
    assert crypto.wrapped_key_id(bytes(EventKey.objects.get(event=event).wrapped_key)) == "k2"
    settings.VISAGE_MASTER_KEYS = new_key  # the old master key is gone
    after = face_embeddings(list(Face.objects.filter(event=event)), data_key=event_data_key(event=event), event_id=event.id)
    assert np.array_equal(before, after)


def test_deleting_the_data_key_shreds_the_embeddings(faces):
    event = Event.objects.get(id=faces[0].event_id)
    blobs = [bytes(f.embedding_ciphertext) for f in faces]
    old_key = event_data_key(event=event)
    event_key_destroy(event=event)
    new_key = event_data_key(event=event)  # a fresh key cannot open the old ciphertext
    assert new_key != old_key
    with pytest.raises(crypto.EmbeddingDecryptError):
        crypto.decrypt_embedding(blobs[0], data_key=new_key, event_id=event.id, face_id=str(faces[0].uid))


def _as_bytes(value) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return str(value).encode()
