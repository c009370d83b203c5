"""Each newly processed batch against the event's opted-in templates (a Celery task, after the
batch's transaction: never inside ingest, never holding it up).

Matches follow guest search's precision-first rules (recognition.search.new_photos_search: the
event's calibrated search threshold, person agreement, hidden photos and people and forgotten
guests left out), less the faces the opted-in device asked to forget and the photos the guest
already has. New photos wait on the opt-in (`pending_photo_ids`) until a message may go
(sharing.notify.sending: at most one per VISAGE_NOTIFY_MIN_MINUTES).
"""
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events.models import Event, Photo, PhotoState
from recognition.search import new_photos_search
from recognition.services.calibration import event_calibration
from recognition.services.keys import event_data_key
from sharing import conf
from sharing.models import LinkState, NotifySubscription, RemovalRequest, RemovalState
from sharing.notify import sealing
from sharing.notify.subscriptions import notify_policy_get


def notify_batch_match(*, photo_ids: list[int]) -> list[int]:
    """Match the finished photos against every live opt-in of their events → opt-ins now due a message."""
    by_event: dict[int, list[int]] = defaultdict(list)
    for photo_id, event_id in Photo.objects.filter(id__in=photo_ids, state=PhotoState.DONE).values_list("id", "event_id"):
        by_event[event_id].append(photo_id)
    due: list[int] = []
    for event in Event.objects.filter(id__in=list(by_event)).order_by("id"):
        due += _event_match(event, by_event[event.id])
    return due


def _live_subscriptions(event: Event) -> list[NotifySubscription]:
    if not notify_policy_get(event=event).enabled:
        return []
    row, _calibration = event_calibration(event=event)
    subscriptions = NotifySubscription.objects.filter(event=event, expires_at__gt=timezone.now()).select_related("link")
    return [s for s in subscriptions if s.link.state == LinkState.ACTIVE
            and (row is None or (s.embedder_name, s.embedder_version) == (row.embedder_name, row.embedder_version))]


def _event_match(event: Event, photo_ids: list[int]) -> list[int]:
    subscriptions = _live_subscriptions(event)
    if not subscriptions:
        return []
    key = event_data_key(event=event)
    templates = [sealing.template_open(event=event, uid=str(s.uid), blob=s.template_ciphertext, data_key=key)
                 for s in subscriptions]
    forgotten = _faces_forgotten_by_device(event, {s.device_hash for s in subscriptions if s.device_hash})
    results = new_photos_search(event=event, embeddings=templates, photo_ids=photo_ids,
                                exclude_face_ids=[forgotten.get(s.device_hash, frozenset()) for s in subscriptions])
    due = []
    for subscription, matches in zip(subscriptions, results):
        if matches and _matches_add(subscription.id, [[m.photo_id, m.face_id, round(m.confidence, 1)] for m in matches]):
            due.append(subscription.id)
    return due


def _faces_forgotten_by_device(event: Event, devices: set[str]) -> dict[str, frozenset[int]]:
    """Faces each device asked to forget, while the studio has not decided (as sharing.selectors.faces_hidden_for)."""
    hidden: dict[str, set[int]] = defaultdict(set)
    requests = RemovalRequest.objects.filter(event=event, device_hash__in=devices, state=RemovalState.PENDING)
    for device, face_ids in requests.values_list("device_hash", "face_ids"):
        hidden[device] |= set(face_ids)
    return {device: frozenset(faces) for device, faces in hidden.items()}


@transaction.atomic
def _matches_add(subscription_id: int, found: list[list]) -> bool:
    """Add photos the guest does not have yet; schedule the next message → whether one is due now."""
    subscription = NotifySubscription.objects.select_for_update().filter(id=subscription_id).first()
    if subscription is None:  # unsubscribed meanwhile
        return False
    known = {photo_id for photo_id, _face, _conf in subscription.matches}
    new = [match for match in found if match[0] not in known]
    if not new:
        return False
    now = timezone.now()
    subscription.matches = subscription.matches + new
    subscription.pending_photo_ids = subscription.pending_photo_ids + [match[0] for match in new]
    if subscription.next_send_at is None:
        earliest = subscription.last_sent_at + timedelta(seconds=conf.notify_min_interval_seconds()) \
            if subscription.last_sent_at else now
        subscription.next_send_at = max(now, earliest)
    subscription.save(update_fields=["matches", "pending_photo_ids", "next_send_at"])
    return subscription.next_send_at <= now
