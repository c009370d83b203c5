"""Who may do what to an event: studio roles, plus the event-level organizer role.

Every lookup is made inside the events the user can reach, so a user with no role on the event
gets a 404 (the same answer as for a missing event), never a 403.
"""
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from core.access import ORGANIZER, role_can
from core.tenancy.models import Membership
from events.models import Event, EventOrganizer, Photo

__all__ = ["ORGANIZER", "EventAccess", "event_access_get", "photo_access_get", "reachable_events"]


@dataclass(frozen=True)
class EventAccess:
    event: Event
    role: str

    def can(self, action: str) -> bool:
        return role_can(self.role, action)


def reachable_events(*, user) -> QuerySet[Event]:
    """Events of the user's studios plus the events they organize: the scope of every lookup."""
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    return Event.objects.filter(Q(studio__memberships__user=user) | Q(organizers__user=user))


def event_access_get(*, user, event_id: int) -> EventAccess:
    event = Event.objects.select_related("studio").filter(id=event_id, id__in=reachable_events(user=user)).first()
    role = _role(user, event) if event is not None else None
    if role is None:
        raise Http404("No such event.")
    return EventAccess(event=event, role=role)


def photo_access_get(*, user, photo_id: int) -> tuple[Photo, EventAccess]:
    photo = Photo.objects.select_related("event").filter(id=photo_id, event__in=reachable_events(user=user)).first()
    if photo is None:  # one answer for a missing photo and another studio's
        raise Http404("No such photo.")
    return photo, event_access_get(user=user, event_id=photo.event_id)


def _role(user, event: Event) -> str | None:
    membership = Membership.objects.filter(user=user, studio_id=event.studio_id).only("role").first()
    if membership is not None:
        return membership.role
    if EventOrganizer.objects.filter(user=user, event=event).exists():
        return ORGANIZER
    return None
