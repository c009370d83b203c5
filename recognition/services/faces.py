"""Store the faces found in a photo: encrypted embeddings, replaced atomically (idempotent)."""
import uuid

from django.db import transaction

from events.models import Photo, PhotoState
from events.lifecycle import photo_done
from core.storage import object_storage
from recognition import crypto
from recognition.index_version import index_faces_added, index_invalidate
from recognition.ml.embedders import Embedder
from recognition.ml.pipeline import DetectedFace, FacePipeline
from recognition.models import Face
from recognition.services.calibration import event_calibration_record
from recognition.services.keys import event_data_key


def photo_faces_detect(*, photo: Photo, pipeline: FacePipeline) -> list[DetectedFace]:
    """Read the original from storage and run the face pipeline on it (ImageDecodeError if bad)."""
    with object_storage().open(photo.original_key, "rb") as fh:
        return pipeline.analyze(fh)


def photo_faces_replace(*, photo: Photo, faces: list[DetectedFace], embedder: Embedder) -> list[Face]:
    """Replace the photo's faces and mark it done, all in one transaction.

    A redelivered task message runs this again and ends in the same state.
    """
    data_key = event_data_key(event=photo.event)
    rows = face_rows(photo, faces, embedder, data_key)
    with transaction.atomic():
        locked = Photo.objects.select_for_update().filter(id=photo.id, state=PhotoState.PROCESSING).first()
        if locked is None:  # done meanwhile by another delivery, or deleted
            return []
        removed, _ = Face.objects.filter(photo=photo).delete()
        created = Face.objects.bulk_create(rows)
        photo_done(photo_id=photo.id)
        # Searchable at once: faces that only add are appended by cached indexes; replacing old ones invalidates.
        added_ids = [face.id for face in created]
        transaction.on_commit(lambda: index_invalidate(event_id=photo.event_id) if removed
                              else index_faces_added(event_id=photo.event_id, face_ids=added_ids))
    return created


def face_rows(photo: Photo, faces: list[DetectedFace], embedder: Embedder, data_key: bytes) -> list[Face]:
    """Unsaved Faces of one photo; raises EmbedderMismatch if the event was embedded with another
    model (checked once per photo: one read, not one per face)."""
    event_calibration_record(event_id=photo.event_id, embedder=embedder)
    return [face_row(photo, face, embedder, data_key) for face in faces]


def face_row(photo: Photo, face: DetectedFace, embedder: Embedder, data_key: bytes) -> Face:
    """An unsaved Face (the event's model is checked by ``face_rows``)."""
    uid = uuid.uuid4()
    x1, y1, x2, y2 = (float(v) for v in face.box)
    ciphertext = crypto.encrypt_embedding(face.embedding, data_key=data_key, event_id=photo.event_id, face_id=str(uid))
    return Face(
        uid=uid, studio_id=photo.studio_id, event_id=photo.event_id, photo=photo,
        x1=x1, y1=y1, x2=x2, y2=y2, probability=float(face.probability),
        landmarks=[[float(x), float(y)] for x, y in face.landmarks],
        embedding_ciphertext=ciphertext, embedder_name=embedder.name, embedder_version=embedder.version,
        embedder_dim=embedder.dim, usable=bool(face.usable), quality_reasons=list(face.quality_reasons),
        blur=float(face.blur),
    )


def face_embeddings(faces: list[Face], *, data_key: bytes, event_id: int):
    """Decrypt embeddings of faces of one event → (n, d) float32."""
    return crypto.decrypt_embeddings(
        [bytes(f.embedding_ciphertext) for f in faces], [str(f.uid) for f in faces], data_key=data_key, event_id=event_id
    )
