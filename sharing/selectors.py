"""Reads for sharing. Managers' lookups are inside the event (a foreign id is a 404); a guest's
photo lookups are inside what their session may see, never what the request names."""
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from events.models import Event, EventOrganizer, Photo
from recognition.ml.calibration import confidence_band
from recognition.models import Person
from sharing.models import (
    FIXED_ALBUMS, EventRemovalPolicy, GuestSession, RemovalRequest, RemovalState, Scope, ShareLink, StudioPolicy, session_secret_hash,
)
from core.tenancy.models import Studio


@dataclass(frozen=True)
class GuestPhoto:
    photo: Photo
    confidence: float | None  # percent for selfie matches; None for album photos

    @property
    def confidence_band(self) -> str | None:
        """very_likely / probably / maybe (recognition.ml.calibration), for the pages' words."""
        return confidence_band(self.confidence) if self.confidence is not None else None


def share_link_list(*, event: Event) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(event=event).select_related("event")


def share_link_get(*, event: Event, link_id: int) -> ShareLink:
    link = ShareLink.objects.filter(event=event, id=link_id).select_related("event").first()
    if link is None:
        raise Http404("No such share link.")
    return link


def person_of_event(*, event: Event, person_id: int) -> Person | None:
    return Person.objects.filter(event=event, id=person_id).first()


def organizer_list(*, event: Event) -> QuerySet[EventOrganizer]:
    return EventOrganizer.objects.filter(event=event).select_related("user", "invited_by").order_by("created_at")


def studio_policy_get(*, studio: Studio) -> StudioPolicy:
    """The studio's policy; an unsaved default one when the studio never changed it."""
    return StudioPolicy.objects.filter(studio=studio).first() or StudioPolicy(studio=studio)


def removal_policy_get(*, event: Event) -> EventRemovalPolicy:
    """The event's "forget me" policy; an unsaved default (off) when never set."""
    return EventRemovalPolicy.objects.filter(event=event).first() or EventRemovalPolicy(event=event, studio_id=event.studio_id)


def guest_session_find(*, link: ShareLink, secret: str | None) -> GuestSession | None:
    """The guest's live session on this link, or None (unknown, another link's, ended, expired)."""
    if not secret:
        return None
    secret_hash = session_secret_hash(link_id=link.id, secret=secret[:200])
    session = GuestSession.objects.filter(link=link, secret_hash=secret_hash).select_related("link__event").first()
    return session if session is not None and session.is_live else None


def _shown(link: ShareLink) -> QuerySet[Photo]:
    """Photos of the link's event a guest may ever see: not hidden, preview made."""
    return Photo.objects.filter(event_id=link.event_id, hidden=False).exclude(preview_key="")


def album(*, link: ShareLink, session: GuestSession | None = None) -> QuerySet[Photo]:
    """What a person or event link shows without a selfie (a person's album less the photos of
    faces this guest asked to forget)."""
    if link.scope == Scope.EVENT:
        return _shown(link).order_by("taken_at", "id")
    if link.scope == Scope.PERSON and link.person is not None and not link.person.hidden:
        faces = {"faces__person": link.person, "faces__guest_excluded": False}
        photos = _shown(link).filter(**faces)
        hidden = faces_hidden_for(session=session) if session is not None else frozenset()
        if hidden:
            photos = photos.exclude(faces__id__in=hidden)
        return photos.distinct().order_by("taken_at", "id")
    if link.scope == Scope.PHOTOS:
        return _shown(link).filter(id__in=link.photos.values("id")).order_by("taken_at", "id")
    return Photo.objects.none()


def album_photo_ids(*, link: ShareLink, session: GuestSession | None = None) -> set[int]:
    return set(album(link=link, session=session).values_list("id", flat=True))


def faces_hidden_for(*, session: GuestSession) -> frozenset[int]:
    """Faces this guest's device asked to forget on the event, while the studio has not decided
    (confirmed ones are hidden from every guest already; rejected ones come back)."""
    if not session.device_hash:
        return frozenset()
    requests = RemovalRequest.objects.filter(event_id=session.link.event_id, device_hash=session.device_hash,
                                             state=RemovalState.PENDING)
    return frozenset(face for face_ids in requests.values_list("face_ids", flat=True) for face in face_ids)


def removal_counters(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """events.counters source: guests' "forget me" requests waiting for the studio, per event."""
    rows = dict(RemovalRequest.objects.filter(event_id__in=event_ids, state=RemovalState.PENDING).order_by()
                .values("event_id").annotate(n=Count("id")).values_list("event_id", "n"))
    return {event_id: {"removal_requests_pending": rows.get(event_id, 0)} for event_id in event_ids}


def guest_photo_list(*, session: GuestSession) -> list[GuestPhoto]:
    """Selfie matches (best first) once the guest searched, or for selfie links; else the album."""
    link = session.link
    if link.scope != Scope.SELFIE and not session.searched:
        return [GuestPhoto(photo, None) for photo in album(link=link, session=session)]
    confidence = {photo_id: conf for photo_id, _face, conf in session.matches}
    photos = {photo.id: photo for photo in _shown(link).filter(id__in=list(confidence))}
    if link.scope in FIXED_ALBUMS:
        in_album = album_photo_ids(link=link, session=session)  # once, not once per photo
        photos = {pid: photo for pid, photo in photos.items() if pid in in_album}
    return [GuestPhoto(photos[pid], conf) for pid, conf in confidence.items() if pid in photos]


def guest_photo_get(*, session: GuestSession, photo_id: int) -> Photo:
    """A photo this guest may see, or 404: selfie links only what this session matched."""
    link = session.link
    if link.scope == Scope.SELFIE:
        allowed = _shown(link).filter(id__in=[photo_id for photo_id, _face, _conf in session.matches])
    else:
        allowed = album(link=link, session=session)
    photo = allowed.filter(id=photo_id).select_related("event", "studio").first()
    if photo is None:
        raise Http404("No such photo in your gallery.")
    return photo
