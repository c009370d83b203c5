"""People pages: the grid (rename, merge, hide, undo) and one person (split, reject, album)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from recognition.selectors import person_get
from web.selectors import person_faces
from web.views.common import access_for, event_tabs, permissions


def _curator_access(request, event_id: int):
    access = access_for(request, event_id)
    if not access.can("curate"):
        raise PermissionDenied("Only the studio curates people.")
    return access


@login_required
def people(request, event_id: int):
    access = _curator_access(request, event_id)
    return render(request, "web/people.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "people"),
    })


@login_required
def person_detail(request, event_id: int, person_id: int):
    access = _curator_access(request, event_id)
    person = person_get(event=access.event, person_id=person_id)
    return render(request, "web/person.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "people"),
        "person": person, "faces": person_faces(event=access.event, person_id=person.id),
    })
