"""Deleting an event crypto-shreds its faces, whichever way it is deleted.

With VISAGE_KEY_STORE_DIR set, an event's wrapped data key is a file outside the database (so
database backups never hold it). Deleting the event, through the service, the API or the page,
must remove that file before anything else goes: afterwards no key for the event exists anywhere,
and the embedding ciphertexts a backup kept can no longer be read. Only the public behaviour is
tested (how events tells recognition to destroy the key is recognition's business).
"""
import pytest

from events.models import Event
from events.services import event_delete
from recognition import crypto
from recognition.models import EventKey, Face
from recognition.services.keys import event_data_key
from tests.factories import client_for
from tests.recognition.helpers import event_with_faces


def _delete_with_the_service(event, owner):
    event_delete(event=event)


def _delete_through_the_api(event, owner):
    assert client_for(owner).delete(f"/api/v1/events/{event.id}/").status_code == 204


def _delete_on_the_page(event, owner):
    client = client_for(owner)
    client.force_login(owner)
    assert client.post(f"/events/{event.id}/delete/").status_code == 302


@pytest.mark.parametrize("delete", [_delete_with_the_service, _delete_through_the_api, _delete_on_the_page],
                         ids=["service", "api", "page"])
def test_deleting_an_event_destroys_its_key_file_and_its_embeddings_become_noise(
        delete, studio_a, alice, face_pipeline, settings, tmp_path):
    settings.VISAGE_KEY_STORE_DIR = str(tmp_path / "keys")
    event = event_with_faces(studio_a, alice, ["portraits/obama.jpg"], face_pipeline, people=False)
    key_file = tmp_path / "keys" / f"{event.id}.key"
    backup = list(Face.objects.filter(event=event).values_list("uid", "embedding_ciphertext"))  # a database dump
    data_key = event_data_key(event=event)
    assert key_file.exists() and backup
    for uid, ciphertext in backup:  # readable while the event lives
        assert crypto.decrypt_embedding(ciphertext, data_key=data_key, event_id=event.id, face_id=str(uid)).shape == (
            face_pipeline.embedder.dim,)

    delete(event, alice)

    assert not Event.objects.filter(id=event.id).exists()
    assert not key_file.exists() and list((tmp_path / "keys").glob("*.key")) == []
    assert not EventKey.objects.filter(event_id=event.id).exists()  # nor a copy in the database
    another_key = crypto.new_data_key()  # all that is left to try: any key but the destroyed one
    for uid, ciphertext in backup:
        with pytest.raises(crypto.EmbeddingDecryptError):
            crypto.decrypt_embedding(ciphertext, data_key=another_key, event_id=event.id, face_id=str(uid))
