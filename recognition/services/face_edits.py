"""Fixing faces by hand: draw a missed face, assign faces to a person, set faces aside ("not a
face", "ignore" a background person) or bring them back, choose a person's cover.

Each change is one CurationAction (through services.curation, so its undo restores it; what that
undo cannot know is restored by services.face_undo), with a sentence naming it for the undo
button: ``before["label"]``, e.g. "Undo: moved 1 face to Ana".
"""
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from core.storage import object_storage
from events.models import Event, Photo, PhotoState
from recognition.index_version import index_faces_added
from recognition.ml.drawn import analyze_drawn_box, box_overlap
from recognition.ml.quality import MIN_SMALL_FACE_PX
from recognition.models import CurationAction, Face, Person
from recognition.services.curation import NAME_MAX, CurationError, _locked_people, _snapshot, curation_record
from recognition.services.undo import curation_undo
from recognition.services.calibration import event_pipeline
from recognition.services.faces import face_rows
from recognition.services.keys import event_data_key
from recognition.services.people import event_people_update, people_refresh_covers

SET_ASIDE_REASONS = {"not_face": "marked {n} as not a face", "ignored": "ignored {n} (background)"}
# A drawn box overlapping a stored face this much is that face (intersection over union).
SAME_FACE_OVERLAP = 0.5
# Rotations by 90° (EXIF orientations 5-8) swap the stored pixel grid's sides.
_SWAPS_SIDES = {5, 6, 7, 8}


@dataclass
class FaceAdded:
    face: Face
    landmarks_found: bool
    action: CurationAction


def upright_size(photo: Photo) -> tuple[int, int]:
    """The photo's (width, height) as shown, EXIF orientation applied: the grid face boxes use."""
    if photo.orientation in _SWAPS_SIDES:
        return photo.height, photo.width
    return photo.width, photo.height


def _faces_word(n: int) -> str:
    return f"{n} face" if n == 1 else f"{n} faces"


def undo_label(action: CurationAction) -> str:
    return f"Undo: {action.label or action.kind}"


def _record_labelled(event: Event, user, kind: str, before: dict, label: str, page: str,
                     created_people: list[int] = ()) -> CurationAction:
    """One undoable change, named ("moved 1 face to Ana") and scoped to the page it was made on."""
    return curation_record(event=event, user=user, kind=kind, before=before, label=label, scope=page or "api",
                           created_people=created_people)


def check_drawn_box(photo: Photo, box: list[float]) -> tuple[float, float, float, float]:
    """[x, y, w, h] in original pixels → (x1, y1, x2, y2), or a CurationError saying what is wrong."""
    x, y, w, h = (float(v) for v in box)
    width, height = upright_size(photo)
    if w < MIN_SMALL_FACE_PX or h < MIN_SMALL_FACE_PX:
        raise CurationError(f"The box is too small: a face needs at least {MIN_SMALL_FACE_PX:.0f}×"
                            f"{MIN_SMALL_FACE_PX:.0f} px of the original (got {w:.0f}×{h:.0f}).")
    if x < 0 or y < 0 or x + w > width + 1 or y + h > height + 1:
        raise CurationError(f"The box must lie inside the photo ({width}×{height} px, EXIF orientation "
                            f"applied); it reaches ({x + w:.0f}, {y + h:.0f}) from ({x:.0f}, {y:.0f}).")
    drawn = (x, y, min(x + w, width), min(y + h, height))
    for face in Face.objects.filter(photo=photo).only("id", "x1", "y1", "x2", "y2"):
        if box_overlap(face.box, drawn) >= SAME_FACE_OVERLAP:
            raise CurationError(f"This photo already has a face there (face {face.id}).")
    return drawn


def face_add(*, photo: Photo, box: list[float], user=None, page: str = "") -> FaceAdded:
    """A face drawn on a photo: found, embedded and encrypted like a detected face, then grouped
    like one (it joins the nearest person under the event's thresholds, or stays unassigned) and
    searchable by guests once usable."""
    if photo.state != PhotoState.DONE:
        raise CurationError("The photo is still being processed: add faces once it is done.")
    drawn = check_drawn_box(photo, box)
    event = photo.event
    pipeline = event_pipeline(event=event)
    with object_storage().open(photo.original_key, "rb") as fh:
        found = analyze_drawn_box(pipeline, fh.read(), drawn)
    (row,) = face_rows(photo, [found.face], pipeline.embedder, event_data_key(event=event))
    row.added_by_hand = True
    with transaction.atomic():
        if not Photo.objects.select_for_update().filter(id=photo.id, state=PhotoState.DONE).exists():
            raise CurationError("The photo changed meanwhile (deleted or reprocessed); try again.")
        check_drawn_box(photo, box)  # a second drawing of the same face may have won the race
        row.save()
        action = _record_labelled(event, user, "face_add", {"people": [], "faces": {}, "rejections": [],
                                                             "added_faces": [row.id]},
                                  f"added 1 face to {photo.original_filename}", page)
        transaction.on_commit(lambda: index_faces_added(event_id=event.id, face_ids=[row.id]))
    event_people_update(event=event, recluster_unassigned=False)  # joins a person as a detected face would
    row.refresh_from_db()
    return FaceAdded(face=row, landmarks_found=found.landmarks_found, action=action)


def _locked_faces(event: Event, face_ids: list[int]) -> list[Face]:
    face_ids = list(dict.fromkeys(face_ids))
    faces = list(Face.objects.select_for_update().filter(event=event, id__in=face_ids).order_by("id"))
    if len(faces) != len(face_ids):
        raise Http404("No such face in this event.")
    return faces


@transaction.atomic
def faces_assign(*, event: Event, face_ids: list[int], person_id: int | None = None, new_person_name: str = "",
                 user=None, page: str = "") -> tuple[Person, CurationAction]:
    """Move faces to a person (or to a new person when ``person_id`` is None). Assigning overrides an
    earlier "not this person" for that person and brings a set-aside face back."""
    faces = _locked_faces(event, face_ids)
    if len({face.photo_id for face in faces}) != len(faces):
        raise CurationError("Two of these faces are in the same photo, so they are different people.")
    former = sorted({face.person_id for face in faces if face.person_id and face.person_id != person_id})
    people = _locked_people(event, [*former, *([person_id] if person_id else [])])
    before = _snapshot(event, people, face_ids=[face.id for face in faces])
    before["set_aside"] = {str(face.id): face.set_aside for face in faces if face.set_aside}
    created = []
    if person_id is None:
        name = new_person_name.strip()
        if len(name) > NAME_MAX:
            raise CurationError(f"A name must be at most {NAME_MAX} characters.")
        target = Person.objects.create(studio_id=event.studio_id, event=event, name=name, curated=True)
        created = [target.id]
    else:
        target = next(p for p in people if p.id == person_id)
        clash = (Face.objects.filter(event=event, person=target, photo_id__in=[f.photo_id for f in faces])
                 .exclude(id__in=[f.id for f in faces]).values_list("photo__original_filename", flat=True).first())
        if clash:
            raise CurationError(f"{target} already has a face in {clash}: one photo holds each person once. "
                                "Move that face away first.")
        through = Face.rejected_people.through
        rejections = through.objects.filter(person=target, face_id__in=[f.id for f in faces])
        before["restore_rejections"] = [list(row) for row in rejections.values_list("face_id", "person_id")]
        rejections.delete()
    Face.objects.filter(id__in=[f.id for f in faces]).update(person=target, set_aside="")
    Person.objects.filter(id__in=[target.id, *former]).update(curated=True)
    people_refresh_covers(event=event)
    where = f"to {target.name}" if target.name else ("to a new person" if created else f"to {target}")
    action = _record_labelled(event, user, "assign", before, f"moved {_faces_word(len(faces))} {where}", page,
                              created_people=created)
    return target, action


@transaction.atomic
def faces_set_aside(*, event: Event, face_ids: list[int], reason: str, user=None, page: str = "") -> CurationAction:
    """"Not a face" or "ignore" (a background person): the faces leave their person and are never
    grouped, searched or listed as unassigned again, until brought back (faces_restore) or undone."""
    if reason not in SET_ASIDE_REASONS:
        raise CurationError(f"The reason must be one of {', '.join(SET_ASIDE_REASONS)}.")
    faces = _locked_faces(event, face_ids)
    people = _locked_people(event, sorted({face.person_id for face in faces if face.person_id}))
    before = _snapshot(event, people, face_ids=[face.id for face in faces])
    before["set_aside"] = {str(face.id): face.set_aside for face in faces}
    Face.objects.filter(id__in=[f.id for f in faces]).update(person=None, set_aside=reason)
    Person.objects.filter(id__in=[p.id for p in people]).update(curated=True)
    people_refresh_covers(event=event)
    label = SET_ASIDE_REASONS[reason].format(n=_faces_word(len(faces)))
    return _record_labelled(event, user, reason, before, label, page)


@transaction.atomic
def faces_restore(*, event: Event, face_ids: list[int], user=None, page: str = "") -> CurationAction:
    """Bring set-aside faces back among the unassigned."""
    faces = _locked_faces(event, face_ids)
    before = _snapshot(event, [], face_ids=[face.id for face in faces])
    before["set_aside"] = {str(face.id): face.set_aside for face in faces}
    Face.objects.filter(id__in=[f.id for f in faces]).update(set_aside="")
    return _record_labelled(event, user, "restore", before, f"brought back {_faces_word(len(faces))}", page)


@transaction.atomic
def person_cover_set(*, event: Event, person_id: int, face_id: int, user=None, page: str = "") -> CurationAction:
    """The person's cover becomes this face of theirs (kept until it leaves them, or undone)."""
    (person,) = _locked_people(event, [person_id])
    if not Face.objects.filter(event=event, person=person, id=face_id).exists():
        raise CurationError(f"Face {face_id} is not one of {person}'s faces.")
    before = _snapshot(event, [person], face_ids=[])
    Person.objects.filter(id=person.id).update(cover_face_id=face_id, curated=True)
    return _record_labelled(event, user, "cover", before, f"changed {person}'s cover", page)


def face_edit_undo(*, event: Event, action_id: int):
    """Undo the named change (refused, naming it, while a later change touched the same faces or people)."""
    action = curation_undo(event=event, action_id=action_id)
    return action, undo_label(action)
