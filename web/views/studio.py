"""The studio dashboard: the events this user can see, with their processing counters."""
from django.shortcuts import render

from events import selectors
from web.selectors import event_cover_photo
from web.views.common import studio_page


@studio_page
def dashboard(request, membership):
    studio = membership.studio if membership else None
    events = list(selectors.event_list(studio=studio, user=request.user)[:200])
    cards = [_card(event, studio) for event in events]
    return render(request, "web/dashboard.html", {
        "membership": membership,
        "studio": studio,
        "cards": cards,
        "can_create": bool(membership and membership.can_write),
    })


def _card(event, studio) -> dict:
    return {
        "event": event,
        "counters": selectors.event_counters(event=event),
        "cover": event_cover_photo(event=event),
        "organizer": event.studio_id != getattr(studio, "id", None),
    }
