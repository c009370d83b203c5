"""Fixing faces by hand: the Unassigned faces page (faces in no person, with the people they look
most like). The changes themselves go through the API (static/visage/js/unassigned.js)."""
from django.shortcuts import render

from recognition.face_selectors import event_faces, face_suggestions
from recognition.selectors import person_list
from web.views.common import event_page, event_tabs, permissions

PAGE_SIZE = 60


@event_page("curate", "Only the studio curates faces.")
def unassigned_faces(request, access):
    faces = event_faces(event=access.event, person="none")
    try:
        offset = max(0, int(request.GET.get("from", 0)))
    except ValueError:
        offset = 0
    shown = list(faces[offset:offset + PAGE_SIZE])
    suggestions = face_suggestions(event=access.event, faces=shown)
    total = faces.count()
    people = sorted(person_list(event=access.event), key=lambda p: (not p.name, p.name.lower(), -p.photo_count, p.id))
    return render(request, "web/unassigned.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "people"),
        "faces": [(face, suggestions.get(face.id, [])) for face in shown], "total": total,
        "first": offset + 1, "last": offset + len(shown), "people": people,
        "previous": max(0, offset - PAGE_SIZE) if offset else None,
        "next": offset + PAGE_SIZE if offset + PAGE_SIZE < total else None,
    })
