"""Small helpers the page views share: who is asking, and what they may do on an event."""
from django.http import HttpRequest

from events.access import EventAccess, event_access_get
from core.tenancy.models import Membership
from core.tenancy.selectors import membership_for_request

ACTIONS = ("view", "upload", "curate", "share", "invite", "delete")


def membership_of(request: HttpRequest) -> Membership | None:
    """The studio membership the page acts through (None for organizers without a studio)."""
    return membership_for_request(user=request.user, studio_slug=None)


def access_for(request: HttpRequest, event_id: int) -> EventAccess:
    """The caller's access to the event; a foreign or missing event is a 404."""
    return event_access_get(user=request.user, event_id=event_id)


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
    return [
        {"key": key, "label": label, "url_name": url_name, "current": key == current}
        for key, label, url_name, action in tabs
        if access.can(action)
    ]
