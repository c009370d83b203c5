"""Event-scoped API bases: the event (and the caller's role on it) is resolved before any handler
runs, and every object is looked up inside the events the caller can reach (events.access)."""
from rest_framework.exceptions import PermissionDenied

from core.api import ScopedApi
from events.access import EventAccess, event_access_get, photo_access_get, reachable_events


class EventApi(ScopedApi):
    """Base for endpoints under /events/{event_id}/: sets self.access (event + caller's role).

    Studio members and the event's organizers get in; everyone else gets a 404.
    """

    dangerously_defines_scope = True
    access: EventAccess
    required = "view"
    required_by_method: dict[str, str] = {}

    def resolve_scope(self, request, **kwargs) -> None:
        self.access = event_access_get(user=request.user, event_id=kwargs["event_id"])
        self.require(self.required_by_method.get(request.method, self.required))

    @property
    def event(self):
        return self.access.event

    def scope_studio_id(self) -> int | None:
        return self.event.studio_id

    def require(self, action: str) -> None:
        if not self.access.can(action):
            raise PermissionDenied(f"Your role on this event ({self.access.role}) does not allow this ({action}).")


class EventObjectApi(EventApi):
    """EventApi for routes keyed by another object's id (/people/{person_id}/…): the object is
    looked up among the caller's reachable events, so a stranger's id is a 404 like a missing one."""

    dangerously_defines_scope = True
    event_object: tuple[type, str]  # (a model with an event_id, the URL kwarg holding its id)

    def resolve_scope(self, request, **kwargs) -> None:
        model, kwarg = self.event_object
        event_id = (model.objects.filter(id=kwargs[kwarg], event__in=reachable_events(user=request.user))
                    .values_list("event_id", flat=True).first())
        super().resolve_scope(request, **{**kwargs, "event_id": event_id or 0})


class PhotoApi(EventApi):
    """Like EventApi, for endpoints under /photos/{photo_id}/; sets self.photo."""

    dangerously_defines_scope = True

    def resolve_scope(self, request, **kwargs) -> None:
        self.photo, self.access = photo_access_get(user=request.user, photo_id=kwargs["photo_id"])
        self.require(self.required_by_method.get(request.method, self.required))
