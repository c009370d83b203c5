"""Stage 3 of a batch: encrypt every face and store faces + photo states in one transaction."""
from collections import defaultdict

from django.db import transaction

from events.lifecycle import photos_done
from events.people_due import events_people_due
from recognition.ingest.claims import Claim, claim_owned
from recognition.index_version import index_faces_added, index_invalidate
from recognition.ingest.loading import LoadedPhoto
from recognition.ml.embedders import Embedder
from recognition.ml.pipeline import DetectedFace
from recognition.models import Face
from recognition.services.calibration import EmbedderMismatch
from recognition.services.faces import face_rows
from recognition.services.keys import event_data_key


def store_batch(*, claim: Claim, loaded: list[LoadedPhoto], faces: dict[int, list[DetectedFace]],
                embedders: dict[int, Embedder]) -> list[LoadedPhoto]:
    """Store the faces of the photos that got through; returns the photos stored.

    Only photos still held under the claim are written (a worker whose lease ran out and whose
    photos went to another worker writes nothing), and old faces are replaced, never added to.
    A photo whose faces its event refuses (another model) gets ``failure`` set instead.
    """
    keys: dict[int, bytes] = {}
    rows: dict[int, list[Face]] = defaultdict(list)
    for item in loaded:
        photo = item.photo
        if photo.id not in faces or item.failure:
            continue
        if photo.event_id not in keys:
            keys[photo.event_id] = event_data_key(event=photo.event)
        try:
            rows[photo.id] = face_rows(photo, faces[photo.id], embedders[photo.id], keys[photo.event_id])
        except EmbedderMismatch as exc:
            item.failure = f"not stored: {exc}"
    done = [item for item in loaded if item.photo.id in faces and not item.failure]
    with transaction.atomic():
        owned = set(claim_owned(token=claim.token, photo_ids=[item.photo.id for item in done]).values_list("id", flat=True))
        replaced = set(Face.objects.filter(photo_id__in=owned).values_list("event_id", flat=True).distinct())
        Face.objects.filter(photo_id__in=owned).delete()
        created = Face.objects.bulk_create([row for photo_id in owned for row in rows[photo_id]], batch_size=500)
        stored = [item for item in done if item.photo.id in owned]
        photos_done(done={item.photo.id: item.derivative_keys for item in stored})
        # Durable with the faces: if the people update's message is lost, the reconciler sees this.
        events_people_due(event_ids={item.photo.event_id for item in stored})
        for event_id in {item.photo.event_id for item in stored}:
            transaction.on_commit(lambda event_id=event_id: _index_changed(event_id, replaced, created))
    return stored


def _index_changed(event_id: int, replaced: set[int], created: list[Face]) -> None:
    """First faces of new photos only append to cached search indexes; a retry that replaced
    faces (their ids changed) makes them drop the old ones too."""
    if event_id in replaced:
        index_invalidate(event_id=event_id)
    else:
        index_faces_added(event_id=event_id, face_ids=[face.id for face in created if face.event_id == event_id])
