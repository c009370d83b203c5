"""People pages: the grid (rename, merge, hide, undo) and one person (split, reject, album)."""
from django.shortcuts import render

from recognition.selectors import person_get
from web.selectors import person_faces
from web.views.common import event_page, event_tabs, permissions


_CURATORS_ONLY = "Only the studio curates people."


@event_page("curate", _CURATORS_ONLY)
def people(request, access):
    return render(request, "web/people.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "people"),
    })


@event_page("curate", _CURATORS_ONLY)
def person_detail(request, access, person_id: int):
    person = person_get(event=access.event, person_id=person_id)
    return render(request, "web/person.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "people"),
        "person": person, "faces": person_faces(event=access.event, person_id=person.id),
    })
