"""Reads for sharing. Managers' lookups are inside the event (a foreign id is a 404); a guest's
photo lookups are inside what their session may see, never what the request names."""
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from events.models import Event, EventOrganizer, Photo
from recognition.models import Person
from sharing.models import GuestSession, Scope, ShareLink, StudioPolicy, session_secret_hash
from core.tenancy.models import Studio


@dataclass(frozen=True)
class GuestPhoto:
    photo: Photo
    confidence: float | None  # percent for selfie matches; None for album photos


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


def album(*, link: ShareLink) -> QuerySet[Photo]:
    """What a person or event link shows without a selfie."""
    if link.scope == Scope.EVENT:
        return _shown(link).order_by("taken_at", "id")
    if link.scope == Scope.PERSON and link.person is not None and not link.person.hidden:
        faces = {"faces__person": link.person, "faces__guest_excluded": False}
        return _shown(link).filter(**faces).distinct().order_by("taken_at", "id")
    return Photo.objects.none()


def album_photo_ids(*, link: ShareLink) -> set[int]:
    return set(album(link=link).values_list("id", flat=True))


def guest_photo_list(*, session: GuestSession) -> list[GuestPhoto]:
    """Selfie matches (best first) once the guest searched, or for selfie links; else the album."""
    link = session.link
    if link.scope != Scope.SELFIE and not session.searched:
        return [GuestPhoto(photo, None) for photo in album(link=link)]
    confidence = {photo_id: conf for photo_id, _face, conf in session.matches}
    photos = {photo.id: photo for photo in _shown(link).filter(id__in=list(confidence))}
    if link.scope == Scope.PERSON:
        in_album = album_photo_ids(link=link)  # once, not once per photo
        photos = {pid: photo for pid, photo in photos.items() if pid in in_album}
    return [GuestPhoto(photos[pid], conf) for pid, conf in confidence.items() if pid in photos]


def guest_photo_get(*, session: GuestSession, photo_id: int) -> Photo:
    """A photo this guest may see, or 404: selfie links only what this session matched."""
    link = session.link
    if link.scope == Scope.SELFIE:
        allowed = _shown(link).filter(id__in=[photo_id for photo_id, _face, _conf in session.matches])
    else:
        allowed = album(link=link)
    photo = allowed.filter(id=photo_id).select_related("event", "studio").first()
    if photo is None:
        raise Http404("No such photo in your gallery.")
    return photo
