"""What undoing a hand edit of faces restores beyond people and face→person (services.curation's
undo does those): faces set aside or brought back, and faces drawn by hand (deleted again).

Kept apart from services.face_edits, which records its changes through services.curation: the
undo there calls this, and this imports neither."""
from events.models import Event
from recognition.models import Face


def face_edits_revert(*, event: Event, before: dict) -> None:
    for face_id, set_aside in before.get("set_aside", {}).items():
        Face.objects.filter(id=int(face_id), event=event).update(set_aside=set_aside)
    added = before.get("added_faces", [])
    if added:
        Face.objects.filter(id__in=added, event=event, added_by_hand=True).delete()
