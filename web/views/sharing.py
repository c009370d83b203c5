"""The event's access page: share links (create, QR, card, revoke) and organizers.

The page is a shell; static/visage/js/sharing.js drives the share-link and organizer APIs.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from web.views.common import access_for, event_tabs, permissions


@login_required
def sharing(request, event_id: int):
    access = access_for(request, event_id)
    if not access.can("share"):
        raise PermissionDenied("Your role on this event cannot manage its sharing.")
    return render(request, "web/sharing.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "sharing"),
    })
