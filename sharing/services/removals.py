""""Forget me", step two: a guest can hide a person from themselves at once, and from everyone
only with the studio's agreement (or, on events that opt in, a second selfie of that person).

A guest's request, at once: deletes their session (its list of matches), withdraws their
consent, files a RemovalRequest for the faces their own last selfie matched (one person's at
most), hides those faces from the requesting device's searches and albums, and tells the studio
(a pending count, an e-mail to its owners, a removal.requested webhook). Nothing changes for
other guests until the studio confirms (hidden from every guest for good) or rejects (nothing
hidden). Every step is written to RemovalLog. Why: docs/sharing.md, "Forget me".
"""
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.errors import DomainError
from events.models import Event
from recognition.search import event_search
from recognition.services.exclusion import faces_of_one_person, faces_set_guest_excluded
from sharing import conf, ratelimit
from sharing.clients import Client
from sharing.devices import device_hash
from sharing.errors import RemovalNotFound, RemovalVerifyExpired, SelfieMismatch, SelfieNotFresh
from sharing.models import EventRemovalPolicy, GuestConsent, GuestSession, RemovalLog, RemovalRequest, RemovalState, ShareLink
from sharing.selectors import removal_policy_get
from sharing.notify.subscriptions import notify_opt_out
from sharing.services.guests import selfie_embedding
from sharing.services.removal_notices import removal_filed_announce
from sharing.uploads import upload_sha256


@dataclass(frozen=True)
class FiledRemoval:
    request: RemovalRequest
    verify_secret: str  # "" unless the event hides at once after a second selfie


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(f"visage-removal-verify:{secret}".encode()).hexdigest()


@transaction.atomic
def guest_forget(*, session: GuestSession, client: Client) -> FiledRemoval | None:
    """End the guest's visit and file their removal request (None when they matched nothing)."""
    ratelimit.hit(key=f"forget:{session.link_id}:{client.ip_hash}", limit=conf.forget_requests_per_client())
    link, now = session.link, timezone.now()
    # Only the last search: one selfie is one face, and a session cannot add up many people's.
    matched = sorted({face for _photo, face, _conf in session.matches})
    face_ids, person_id = faces_of_one_person(event=link.event, face_ids=matched)
    consent = GuestConsent.objects.filter(session=session).first()
    GuestConsent.objects.filter(session=session, withdrawn_at__isnull=True).update(withdrawn_at=now)
    device, selfie = session.device_hash or device_hash(client.device), session.selfie_sha256
    notify_opt_out(session=session)  # "new photos of me": template, address and pending photos go too
    session.delete()
    if not face_ids:
        return None
    secret = secrets.token_urlsafe(24) if removal_policy_get(event=link.event).hide_at_once else ""
    request = RemovalRequest.objects.create(
        studio_id=link.studio_id, event_id=link.event_id, link=link, consent=consent, person_id=person_id,
        face_ids=face_ids, device_hash=device, selfie_sha256=selfie, verify_hash=_secret_hash(secret) if secret else "",
    )
    RemovalLog.objects.create(request=request, action="filed", faces=len(face_ids))
    removal_filed_announce(request=request)
    return FiledRemoval(request=request, verify_secret=secret)


def removal_verify(*, link: ShareLink, client: Client, secret: str, selfie) -> RemovalRequest:
    """The opt-in path: a second, fresh selfie from the same phone that matches at least half of
    the request's faces hides them from every guest until the studio decides. Not one transaction:
    tries and failures must stay counted and logged when the answer is a refusal."""
    request = RemovalRequest.objects.filter(
        link=link, verify_hash=_secret_hash(secret or ""), state=RemovalState.PENDING).exclude(verify_hash="").first()
    if request is None or request.device_hash != device_hash(client.device):
        raise RemovalNotFound()
    if request.hidden_for_everyone:
        return request
    window = conf.forget_verify_window()
    if (timezone.now() - request.created_at).total_seconds() > window.seconds:
        raise RemovalVerifyExpired()
    ratelimit.hit(key=f"forget-verify:{request.id}", limit=window)
    if request.selfie_sha256 and upload_sha256(selfie) == request.selfie_sha256:
        raise SelfieNotFresh()
    query = selfie_embedding(selfie=selfie, event=link.event)
    found = {hit.face_id for hit in event_search(event=link.event, embedding=query.embedding)}
    if 2 * len(found & set(request.face_ids)) < len(request.face_ids):
        RemovalLog.objects.create(request=request, action="verify_failed")
        raise SelfieMismatch()
    return _hide_for_everyone(request_id=request.id)


@transaction.atomic
def _hide_for_everyone(*, request_id: int) -> RemovalRequest:
    request = RemovalRequest.objects.select_for_update().select_related("event").get(id=request_id)
    if request.state == RemovalState.PENDING and not request.hidden_for_everyone:  # not decided meanwhile
        faces_set_guest_excluded(event=request.event, face_ids=request.face_ids, excluded=True)
        request.hidden_for_everyone, request.verified_at = True, timezone.now()
        request.save(update_fields=["hidden_for_everyone", "verified_at"])
        RemovalLog.objects.create(request=request, action="verified", faces=len(request.face_ids))
    return request


def removal_policy_set(*, event: Event, hide_at_once: bool) -> EventRemovalPolicy:
    policy, _ = EventRemovalPolicy.objects.update_or_create(
        event=event, defaults={"studio_id": event.studio_id, "hide_at_once": hide_at_once})
    return policy


def removal_request_list(*, event: Event):
    return RemovalRequest.objects.filter(event=event).select_related("person", "decided_by", "link").prefetch_related(
        "log__by")


@transaction.atomic
def removal_request_decide(*, event: Event, request_id: int, user, confirm: bool) -> RemovalRequest:
    """Confirm (the faces are hidden from every guest for good) or reject (nothing stays hidden,
    unless another request hiding them for everyone covers them). Decided once."""
    request = RemovalRequest.objects.select_for_update().filter(event=event, id=request_id).first()
    if request is None:
        raise Http404("No such removal request.")
    if request.state != RemovalState.PENDING:
        raise RemovalAlreadyDecided(f"This request was already {request.state}.")
    changed = 0
    if confirm:
        changed = faces_set_guest_excluded(event=event, face_ids=request.face_ids, excluded=True)
        request.hidden_for_everyone = True
    elif request.hidden_for_everyone:
        standing = RemovalRequest.objects.filter(event=event, hidden_for_everyone=True).exclude(id=request.id).filter(
            Q(state=RemovalState.PENDING) | Q(state=RemovalState.CONFIRMED))
        covered = {face for other in standing for face in other.face_ids}
        changed = faces_set_guest_excluded(
            event=event, face_ids=[f for f in request.face_ids if f not in covered], excluded=False)
        request.hidden_for_everyone = False
    request.state = RemovalState.CONFIRMED if confirm else RemovalState.REJECTED
    request.decided_at, request.decided_by = timezone.now(), user
    request.save(update_fields=["state", "decided_at", "decided_by", "hidden_for_everyone"])
    RemovalLog.objects.create(request=request, action=request.state, by=user,
                              faces=len(request.face_ids) if confirm else changed)
    return request


class RemovalAlreadyDecided(DomainError):
    status, code = 409, "already_decided"
