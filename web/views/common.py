"""Small helpers the page views share: who is asking, and what they may do on an event."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from core.access import ACTIONS
from sharing.selectors import removal_counters
from events.access import EventAccess, event_access_get
from core.tenancy.models import Membership
from core.tenancy.selectors import membership_for_request

def membership_of(request: HttpRequest) -> Membership | None:
    """The studio membership the page acts through (None for organizers without a studio)."""
    return membership_for_request(user=request.user, studio_slug=None)


def access_for(request: HttpRequest, event_id: int) -> EventAccess:
    """The caller's access to the event; a foreign or missing event is a 404."""
    return event_access_get(user=request.user, event_id=event_id)


def event_page(action: str = "view", denied: str = "Your role on this event does not allow this."):
    """The scoped base of every event page (tests/test_isolation.py requires one): signs in, finds
    the event among those the user can reach (else 404), checks the role, passes `access`."""
    def decorate(view):
        @login_required
        @wraps(view)
        def scoped(request, event_id: int, **kwargs):
            access = access_for(request, event_id)
            if not access.can(action):
                raise PermissionDenied(denied)
            return view(request, access, **kwargs)
        scoped.visage_scope = "event"
        return scoped
    return decorate


def studio_page(view):
    """The scoped base of studio-level pages: signs in, passes the caller's membership (or None
    for an organizer with no studio); every read inside is by that studio or that user."""
    @login_required
    @wraps(view)
    def scoped(request, **kwargs):
        return view(request, membership_of(request), **kwargs)
    scoped.visage_scope = "studio"
    return scoped


def permissions(access: EventAccess) -> dict[str, bool]:
    """`can.upload`, `can.share`… for templates, which cannot call methods with arguments."""
    return {action: access.can(action) for action in ACTIONS}


def event_tabs(access: EventAccess, current: str) -> list[dict]:
    """The event's sub-pages this role may open (organizers see no curation)."""
    tabs = [
        ("photos", "Photos", "web:event-detail", "view"),
        ("people", "People", "web:event-people", "curate"),
        ("sharing", "Sharing", "web:event-sharing", "share"),
        ("analytics", "Analytics", "web:event-analytics", "view"),
        ("removals", "Removal requests", "web:event-removals", "curate"),
    ]
    shown = [
        {"key": key, "label": label, "url_name": url_name, "current": key == current, "badge": 0}
        for key, label, url_name, action in tabs
        if access.can(action)
    ]
    for tab in shown:
        if tab["key"] == "removals":  # guests' "forget me" requests waiting for the studio
            tab["badge"] = removal_counters([access.event.id])[access.event.id]["removal_requests_pending"]
    return shown
