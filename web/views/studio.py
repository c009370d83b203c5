"""The studio dashboard: the events this user can see, with their processing counters."""
from django.shortcuts import render

from core.access import membership_can
from events import selectors
from events.counters import events_counters
from web.selectors import event_cover_photos
from web.views.common import studio_page


@studio_page
def dashboard(request, membership):
    studio = membership.studio if membership else None
    events = list(selectors.event_list(studio=studio, user=request.user)[:200])
    # Counters and covers for all cards at once: a fixed number of queries for 1 or 200 events.
    counters = events_counters(event.id for event in events)
    covers = event_cover_photos(event_ids=[event.id for event in events])
    cards = [{
        "event": event, "counters": counters[event.id], "cover": covers.get(event.id),
        "organizer": event.studio_id != getattr(studio, "id", None),
    } for event in events]
    return render(request, "web/dashboard.html", {
        "membership": membership,
        "studio": studio,
        "cards": cards,
        "can_create": membership_can(membership, "create_event"),
    })

