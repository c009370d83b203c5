"""Reads for faces and people."""
from django.db.models import Count, Q

from events.models import Event
from recognition.models import Face


def event_face_counters(*, event: Event) -> dict[str, int]:
    faces = Face.objects.filter(event=event).aggregate(total=Count("id"), usable=Count("id", filter=Q(usable=True)))
    return {"faces": faces["total"], "faces_usable": faces["usable"], "people": 0}
