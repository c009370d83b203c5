"""webhooks' answers to what the lower apps announce: each signal becomes a notice
(webhooks/notices.py). They run inside the sender's transaction, so a delivery is stored with
the change it reports. A notice that fails is logged and rolled back to its savepoint: webhooks
must never fail an ingest batch, a curation or a guest search."""
import logging
from contextlib import contextmanager

from django.db import transaction
from django.dispatch import receiver

from events.signals import photos_finished
from recognition.signals import people_changed
from sharing.signals import guest_matched, guest_searched, removal_requested
from webhooks import notices

logger = logging.getLogger(__name__)


@contextmanager
def _contained(what: str):
    try:
        with transaction.atomic():
            yield
    except Exception:  # noqa: BLE001 - see the module's docstring
        logger.exception("webhooks: could not queue %s", what)


@receiver(photos_finished, dispatch_uid="webhooks.photos_finished")
def _photos_finished(sender, *, photo_ids: list[int], **kwargs) -> None:
    with _contained(f"photo.processed for photos {photo_ids}"):
        notices.photos_finished(photo_ids=photo_ids)


@receiver(people_changed, dispatch_uid="webhooks.people_changed")
def _people_changed(sender, *, event_id: int, person_ids: list[int], **kwargs) -> None:
    with _contained(f"person.updated for event {event_id}"):
        notices.people_changed(event_id=event_id, person_ids=person_ids)


@receiver(guest_searched, dispatch_uid="webhooks.guest_searched")
def _guest_searched(sender, *, studio_id: int, event_id: int, share_link_id: int, match_count: int, **kwargs) -> None:
    with _contained(f"guest.searched for link {share_link_id}"):
        notices.guest_searched(studio_id=studio_id, event_id=event_id, share_link_id=share_link_id,
                               match_count=match_count)


@receiver(removal_requested, dispatch_uid="webhooks.removal_requested")
def _removal_requested(sender, *, studio_id: int, event_id: int, removal_request_id: int, face_count: int,
                       pending: int, **kwargs) -> None:
    with _contained(f"removal.requested for request {removal_request_id}"):
        notices.removal_requested(studio_id=studio_id, event_id=event_id, removal_request_id=removal_request_id,
                                  face_count=face_count, pending=pending)


@receiver(guest_matched, dispatch_uid="webhooks.guest_matched")
def _guest_matched(sender, *, studio_id: int, event_id: int, share_link_id: int, photo_count: int, **kwargs) -> None:
    with _contained(f"guest.matched for link {share_link_id}"):
        notices.guest_matched(studio_id=studio_id, event_id=event_id, share_link_id=share_link_id,
                              photo_count=photo_count)
