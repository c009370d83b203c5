"""Destroying an event's biometric data (retention): everything that describes a face goes.

Not only the embeddings: the face crops rendered for the people pages (objects in storage),
the Face and Person rows (boxes, landmarks, names) and the curation history, whose snapshots
hold people's names and face→person assignments. Photos stay: they are the studio's.
"""
import logging

from django.db import transaction

from events.models import Event
from core.storage import derivative_key, object_storage
from recognition.index_version import index_invalidate
from recognition.models import CurationAction, Face, Person
from recognition.services.keys import event_key_destroy

logger = logging.getLogger(__name__)


@transaction.atomic
def event_biometrics_purge(*, event: Event) -> int:
    """Crypto-shred the event's data key, then delete its faces, face crops, people and
    curation history → number of faces deleted."""
    event_key_destroy(event=event)
    crops = [
        derivative_key(studio_id=event.studio_id, event_id=event.id, photo_id=photo_id, kind=f"face-{face_id}")
        for face_id, photo_id in Face.objects.filter(event=event).values_list("id", "photo_id")
    ]
    CurationAction.objects.filter(event=event).delete()
    _, deleted = Face.objects.filter(event=event).delete()
    Person.objects.filter(event=event).delete()
    transaction.on_commit(lambda: _delete_objects(crops))
    transaction.on_commit(lambda: index_invalidate(event_id=event.id))
    return deleted.get(Face._meta.label, 0)


def _delete_objects(keys: list[str]) -> None:
    storage = object_storage()
    for key in keys:
        try:
            storage.delete(key)  # a crop never rendered is simply not there
        except Exception:  # noqa: BLE001 - one failed delete must not keep the others; the next run retries
            logger.exception("could not delete face crop %s", key)
