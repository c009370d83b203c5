"""The event's access page: share links (create, QR, card, revoke) and organizers.

The page is a shell; static/visage/js/sharing.js drives the share-link and organizer APIs.
"""
from django.shortcuts import render

from web.views.common import event_page, event_tabs, permissions


@event_page("share", "Your role on this event cannot manage its sharing.")
def sharing(request, access):
    return render(request, "web/sharing.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "sharing"),
    })
