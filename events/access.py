"""Who may do what to an event: studio roles, plus the event-level organizer role.

A user with no role on the event gets a 404 (the same answer as for a missing event).
"""
from dataclasses import dataclass

from django.http import Http404

from events.models import Event, EventOrganizer, Photo
from visage.tenancy.models import Membership, Role

ORGANIZER = "organizer"
_CAN = {
    "view": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER, Role.VIEWER, ORGANIZER},
    "upload": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "curate": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "share": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER, ORGANIZER},
    "invite": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "delete": {Role.OWNER, Role.ADMIN},
}


@dataclass(frozen=True)
class EventAccess:
    event: Event
    role: str

    def can(self, action: str) -> bool:
        return self.role in _CAN[action]


def event_access_get(*, user, event_id: int) -> EventAccess:
    event = Event.objects.select_related("studio").filter(id=event_id).first()
    role = _role(user, event) if event is not None else None
    if role is None:
        raise Http404("No such event.")
    return EventAccess(event=event, role=role)


def photo_access_get(*, user, photo_id: int) -> tuple[Photo, EventAccess]:
    photo = Photo.objects.filter(id=photo_id).only("event_id").first()
    try:
        # One answer for a missing photo and another studio's: the message must not tell them apart.
        access = event_access_get(user=user, event_id=photo.event_id if photo else 0)
    except Http404:
        raise Http404("No such photo.") from None
    return Photo.objects.select_related("event").get(id=photo_id), access


def _role(user, event: Event) -> str | None:
    membership = Membership.objects.filter(user=user, studio_id=event.studio_id).only("role").first()
    if membership is not None:
        return membership.role
    if EventOrganizer.objects.filter(user=user, event=event).exists():
        return ORGANIZER
    return None


def organizer_event_ids(*, user) -> list[int]:
    return list(EventOrganizer.objects.filter(user=user).values_list("event_id", flat=True))
