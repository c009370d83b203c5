""""Forget me", redesigned so that a guest can only ever hide themselves, and only for a while
unless the studio agrees.

A guest's request, at once: deletes their session (its list of matches), withdraws their
consent, and hides from guest searches the faces that matched *their own* last selfie — one
person's faces at most — then files a RemovalRequest. The studio confirms it (hidden for good)
or rejects it (the faces come back). Every step is written to RemovalLog.
"""
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from events.models import Event
from recognition.services.exclusion import faces_of_one_person, faces_set_guest_excluded
from sharing import conf, ratelimit
from sharing.clients import Client
from sharing.models import GuestConsent, GuestSession, RemovalLog, RemovalRequest, RemovalState
from core.errors import DomainError


@transaction.atomic
def guest_forget(*, session: GuestSession, client: Client) -> RemovalRequest | None:
    """End the guest's visit and file their removal request (None when they matched nothing)."""
    ratelimit.hit(key=f"forget:{session.link_id}:{client.ip_hash}", limit=conf.forget_requests_per_client())
    link, now = session.link, timezone.now()
    # Only the last search: one selfie is one face, and a session cannot add up many people's.
    matched = sorted({face for _photo, face, _conf in session.matches})
    face_ids, person_id = faces_of_one_person(event=link.event, face_ids=matched)
    consent = GuestConsent.objects.filter(session=session).first()
    GuestConsent.objects.filter(session=session, withdrawn_at__isnull=True).update(withdrawn_at=now)
    session.delete()
    if not face_ids:
        return None
    faces_set_guest_excluded(event=link.event, face_ids=face_ids, excluded=True)
    request = RemovalRequest.objects.create(
        studio_id=link.studio_id, event_id=link.event_id, link=link, consent=consent, person_id=person_id,
        face_ids=face_ids,
    )
    RemovalLog.objects.create(request=request, action="filed", faces=len(face_ids))
    return request


def removal_request_list(*, event: Event):
    return RemovalRequest.objects.filter(event=event).select_related("person", "decided_by", "link").prefetch_related(
        "log__by")


def removal_request_get(*, event: Event, request_id: int) -> RemovalRequest:
    request = RemovalRequest.objects.filter(event=event, id=request_id).first()
    if request is None:
        raise Http404("No such removal request.")
    return request


@transaction.atomic
def removal_request_decide(*, event: Event, request_id: int, user, confirm: bool) -> RemovalRequest:
    """Confirm (faces stay hidden from guests for good) or reject (they come back, unless another
    standing request covers them). A decided request cannot be decided again."""
    request = RemovalRequest.objects.select_for_update().filter(event=event, id=request_id).first()
    if request is None:
        raise Http404("No such removal request.")
    if request.state != RemovalState.PENDING:
        raise RemovalAlreadyDecided(f"This request was already {request.state}.")
    restored = 0
    if not confirm:
        standing = RemovalRequest.objects.filter(event=event).exclude(id=request.id).filter(
            Q(state=RemovalState.PENDING) | Q(state=RemovalState.CONFIRMED))
        covered = {face for other in standing for face in other.face_ids}
        restored = faces_set_guest_excluded(
            event=event, face_ids=[f for f in request.face_ids if f not in covered], excluded=False)
    request.state = RemovalState.CONFIRMED if confirm else RemovalState.REJECTED
    request.decided_at, request.decided_by = timezone.now(), user
    request.save(update_fields=["state", "decided_at", "decided_by"])
    RemovalLog.objects.create(request=request, action=request.state, by=user,
                              faces=len(request.face_ids) if confirm else restored)
    return request


class RemovalAlreadyDecided(DomainError):
    status, code = 409, "already_decided"
