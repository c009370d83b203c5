"""What deletion removes. Retention takes every trace of a face, not only the embeddings; and
with the key store outside the database, a shredded key is gone even where old database
backups survive.

Before: the retention purge left face crops in storage and people's names in the curation
history; the wrapped event key lived only in the database, so a backup taken before deletion
still decrypted the deleted event's embeddings.
"""
import pytest
from django.db import connection

from core.storage import object_storage
from recognition import crypto
from recognition.models import CurationAction, EventKey, Face
from recognition.services.curation import person_update
from recognition.services.keys import event_data_key, event_key_destroy, key_store, keyring, master_key_rotate
from recognition.thumbnails import face_thumbnail_key
from sharing.services.retention import event_face_data_purge
from tests.recognition.helpers import event_with_faces


@pytest.fixture
def faces_event(studio_a, alice, face_pipeline):
    return event_with_faces(studio_a, alice, ["portraits/obama.jpg"], face_pipeline)


def test_purge_removes_face_crops_and_names_in_curation_history(faces_event, alice, django_capture_on_commit_callbacks):
    face = Face.objects.filter(event=faces_event, person__isnull=False).first()
    crop = face_thumbnail_key(face)  # rendered for the people page
    person_update(event=faces_event, person_id=face.person_id, user=alice, name="Barack")
    person_update(event=faces_event, person_id=face.person_id, user=alice, name="B. Obama")
    assert object_storage().exists(crop) and CurationAction.objects.filter(event=faces_event).exists()
    with django_capture_on_commit_callbacks(execute=True):
        event_face_data_purge(event=faces_event)  # what the retention run does per event
    assert not object_storage().exists(crop)
    assert not CurationAction.objects.filter(event=faces_event).exists()  # its snapshots held "Barack"
    assert not Face.objects.filter(event=faces_event).exists()


def database_backup(event) -> dict:
    """What a database dump holds for the event: its wrapped key rows and embedding ciphertexts."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT wrapped_key FROM {EventKey._meta.db_table} WHERE event_id = %s", [event.id])
        keys = [bytes(row[0]) for row in cursor.fetchall()]
    faces = list(Face.objects.filter(event=event).values_list("uid", "embedding_ciphertext"))
    return {"keys": keys, "faces": faces}


def test_with_a_key_directory_a_database_backup_cannot_decrypt_after_shredding(studio_a, alice, face_pipeline,
                                                                                settings, tmp_path):
    settings.VISAGE_KEY_STORE_DIR = str(tmp_path / "keys")
    event = event_with_faces(studio_a, alice, ["portraits/obama.jpg"], face_pipeline, people=False)
    assert (tmp_path / "keys" / f"{event.id}.key").exists()
    backup = database_backup(event)
    assert backup["faces"] and backup["keys"] == []  # the dump holds ciphertexts, never a key
    event_key_destroy(event=event)
    assert not (tmp_path / "keys" / f"{event.id}.key").exists() and key_store().get(event.id) is None


def test_the_database_store_is_the_default_and_says_what_backups_keep(studio_a, alice, face_pipeline, settings):
    settings.VISAGE_KEY_STORE_DIR = ""
    event = event_with_faces(studio_a, alice, ["portraits/obama.jpg"], face_pipeline, people=False)
    backup = database_backup(event)
    data_key = crypto.unwrap_data_key(backup["keys"][0], keyring=keyring(), event_id=event.id)
    assert data_key == event_data_key(event=event)  # documented: a dump taken before deletion still decrypts
    event_key_destroy(event=event)
    assert not EventKey.objects.filter(event=event).exists()


def test_key_directory_rotates_and_survives_a_race(studio_a, alice, settings, tmp_path):
    from events.services import event_create

    settings.VISAGE_KEY_STORE_DIR = str(tmp_path / "keys")
    event = event_create(studio=studio_a, user=alice, name="Keys")
    first = event_data_key(event=event)
    store = key_store()
    assert store.add(studio_id=event.studio_id, event_id=event.id, wrapped=b"late loser") == store.get(event.id)
    assert event_data_key(event=event) == first
    assert master_key_rotate() == (0, 1)
    assert oct((tmp_path / "keys" / f"{event.id}.key").stat().st_mode)[-3:] == "600"



def test_retention_shreds_keys_kept_outside_the_database(studio_a, alice, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from events.services import event_create
    from sharing.services.retention import retention_purge

    settings.VISAGE_KEY_STORE_DIR = str(tmp_path / "keys")
    old = event_create(studio=studio_a, user=alice, name="Old", starts_on=timezone.localdate() - timedelta(days=400))
    event_data_key(event=old)
    report = retention_purge()
    assert old.id in report.events and key_store().get(old.id) is None


def test_switching_to_a_key_directory_moves_database_keys_there(studio_a, alice, settings, tmp_path):
    """make run kept keys in its database until the file store became its default: an existing
    install must still read its events' embeddings after the switch, and rotation must see every key."""
    from events.services import event_create

    settings.VISAGE_KEY_STORE_DIR = ""
    read, rotated = (event_create(studio=studio_a, user=alice, name=name) for name in ("Read", "Rotated"))
    keys = {event.id: event_data_key(event=event) for event in (read, rotated)}
    settings.VISAGE_KEY_STORE_DIR = str(tmp_path / "keys")
    assert event_data_key(event=read) == keys[read.id]
    assert master_key_rotate() == (0, 2)
    assert event_data_key(event=rotated) == keys[rotated.id]
    assert not EventKey.objects.exists() and sorted(path.name for path in (tmp_path / "keys").iterdir()) == sorted(
        f"{event_id}.key" for event_id in keys)
