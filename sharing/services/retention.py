"""Retention: once an event is older than its studio's retention period, its face data goes.

Crypto-shredding first (the event's data key is destroyed; see docs/sharing.md for what that
does and does not protect against with backups), then the Face and Person rows, the face crops
in storage and the curation history (which holds people's names).
Photos stay: they are the studio's; only the biometric data has a deadline. Expired guest
sessions (lists of matched photo ids) are deleted too; consent records are kept as evidence.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from events.models import Event
from recognition.models import EventKey, Face
from recognition.services.keys import event_ids_with_external_key
from recognition.services.purge import event_biometrics_purge
from sharing.notify.subscriptions import notify_subscriptions_purge
from sharing.models import DEFAULT_RETENTION_DAYS, GuestSession, StudioPolicy
from core import ratelimit
from core.tenancy.models import Studio


@dataclass(frozen=True)
class PurgeReport:
    events: list[int]
    faces: int
    sessions: int
    notify_subscriptions: int = 0


def retention_deadline(*, event: Event, retention_days: int) -> date:
    """The day after which the event's face data may no longer exist."""
    anchor = event.starts_on or timezone.localdate(event.created_at)
    return anchor + timedelta(days=retention_days)


def studio_policy_set(*, studio: Studio, retention_days: int) -> StudioPolicy:
    policy, _ = StudioPolicy.objects.update_or_create(studio=studio, defaults={"retention_days": retention_days})
    return policy


def events_past_retention(*, today: date) -> list[Event]:
    """Events that still hold face data (a key or faces) and whose retention has run out."""
    days = dict(StudioPolicy.objects.values_list("studio_id", "retention_days"))
    with_data = Event.objects.filter(
        Q(Exists(EventKey.objects.filter(event=OuterRef("pk")))) | Q(Exists(Face.objects.filter(event=OuterRef("pk"))))
        | Q(id__in=event_ids_with_external_key())
    ).order_by("id")
    return [
        event for event in with_data
        if retention_deadline(event=event, retention_days=days.get(event.studio_id, DEFAULT_RETENTION_DAYS)) < today
    ]


def event_face_data_purge(*, event: Event) -> int:
    """Destroy the event's data key, faces, face crops, people and curation history → faces deleted."""
    return event_biometrics_purge(event=event)


def retention_purge(*, today: date | None = None, dry_run: bool = False) -> PurgeReport:
    today = today or timezone.localdate()
    events = events_past_retention(today=today)
    sessions = GuestSession.objects.filter(expires_at__lt=timezone.now())
    if dry_run:
        faces = Face.objects.filter(event__in=events).count()
        return PurgeReport(events=[e.id for e in events], faces=faces, sessions=sessions.count())
    faces = sum(event_face_data_purge(event=event) for event in events)
    # "New photos of me": opt-ins past their window, and every opt-in of the events purged above.
    subscriptions = notify_subscriptions_purge(events=events, now=timezone.now())
    _, deleted = sessions.delete()
    ratelimit.purge_expired()  # finished rate-limit windows (their keys are hashed client addresses)
    return PurgeReport(events=[e.id for e in events], faces=faces, sessions=deleted.get(GuestSession._meta.label, 0),
                       notify_subscriptions=subscriptions)
