"""Change the embedding model of an event without losing people: faces are re-detected and
re-embedded, then each new face inherits the person (and "not this person" marks) of the old
face it overlaps, so named and curated people survive."""
import logging

from django.db import transaction

from core.storage import object_storage
from events.models import Event, Photo, PhotoState
from recognition.index_version import index_invalidate
from recognition.ml.drawn import analyze_drawn_box
from recognition.ml.pipeline import DetectedFace, FacePipeline
from recognition.models import Face
from recognition.services.calibration import event_calibration_switch, pipeline_for
from recognition.services.faces import face_rows, photo_faces_detect
from recognition.services.keys import event_data_key
from recognition.services.people import people_refresh_covers

logger = logging.getLogger(__name__)
SAME_FACE_IOU = 0.5  # boxes of one face found twice by the same detector overlap far more


def event_reembed(*, event: Event, embedder_name: str, progress=None) -> dict[str, int]:
    pipeline = pipeline_for(embedder_name)
    # Switched first: from now on readers use only faces of the new model, and stores of the old refuse.
    event_calibration_switch(event=event, embedder=pipeline.embedder)
    data_key = event_data_key(event=event)
    totals = {"photos": 0, "faces": 0, "kept_person": 0}
    for photo in Photo.objects.filter(event=event, state=PhotoState.DONE).order_by("id").iterator():
        faces = photo_faces_detect(photo=photo, pipeline=pipeline)
        drawn = _drawn_faces_again(photo, faces, pipeline)
        kept = _photo_faces_remap(photo, faces + drawn, pipeline, data_key, drawn=len(drawn))
        totals["photos"] += 1
        totals["faces"] += len(faces)
        totals["kept_person"] += kept
        if progress:
            progress(photo)
    people_refresh_covers(event=event)
    index_invalidate(event_id=event.id)
    return totals


def _drawn_faces_again(photo: Photo, detected: list[DetectedFace], pipeline: FacePipeline) -> list[DetectedFace]:
    """Faces drawn by hand (services.face_edits) that the new model's detection did not find:
    analysed again inside their boxes, so they are not lost."""
    drawn = [face for face in Face.objects.filter(photo=photo, added_by_hand=True)
             if not any(_iou(face.box, list(map(float, d.box))) >= SAME_FACE_IOU for d in detected)]
    if not drawn:
        return []
    with object_storage().open(photo.original_key, "rb") as fh:
        raw = fh.read()
    return [analyze_drawn_box(pipeline, raw, face.box).face for face in drawn]


@transaction.atomic
def _photo_faces_remap(photo: Photo, faces: list[DetectedFace], pipeline: FacePipeline, data_key: bytes,
                       drawn: int = 0) -> int:
    """The last ``drawn`` of ``faces`` were drawn by hand."""
    old = list(Face.objects.filter(photo=photo).prefetch_related("rejected_people"))
    rows = face_rows(photo, faces, pipeline.embedder, data_key)
    for row in rows[len(rows) - drawn:]:
        row.added_by_hand = True
    matches = _match_by_overlap([o.box for o in old], [list(map(float, f.box)) for f in faces])
    for new_index, old_index in matches.items():
        rows[new_index].person_id = old[old_index].person_id
        rows[new_index].guest_excluded = old[old_index].guest_excluded  # "forget me" outlives the model
        rows[new_index].set_aside = old[old_index].set_aside  # so do "not a face" and "ignored"
        rows[new_index].added_by_hand |= old[old_index].added_by_hand  # and who located the face
    Face.objects.filter(photo=photo).delete()
    created = Face.objects.bulk_create(rows)
    through = Face.rejected_people.through
    through.objects.bulk_create([
        through(face_id=created[new_index].id, person_id=person.id)
        for new_index, old_index in matches.items() for person in old[old_index].rejected_people.all()
    ])
    return sum(1 for new_index in matches if rows[new_index].person_id)


def _match_by_overlap(old_boxes: list, new_boxes: list) -> dict[int, int]:
    """Greedy one-to-one matching by IoU ≥ SAME_FACE_IOU: new index → old index."""
    pairs = sorted(
        ((_iou(o, n), ni, oi) for oi, o in enumerate(old_boxes) for ni, n in enumerate(new_boxes)), reverse=True
    )
    matched, used_old = {}, set()
    for iou, ni, oi in pairs:
        if iou >= SAME_FACE_IOU and ni not in matched and oi not in used_old:
            matched[ni] = oi
            used_old.add(oi)
    return matched


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0
