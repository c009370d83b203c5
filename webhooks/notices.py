"""What each event type says: the `data` of photo.processed, event.processed, person.updated,
guest.searched, guest.matched and removal.requested, built from the lower apps' rows and queued for
the studio's webhooks. Each function takes a hook's payload fields and runs in webhooks' own task, as
an outbox row is expanded (webhooks/outbox.py), never inside the sender's transaction."""
from django.db import transaction
from django.db.models import Count, Max, Q

from events.models import Event, Photo, PhotoState
from recognition.models import Face, Person
from webhooks.models import EventType, Webhook
from webhooks.services import deliveries_create, webhooks_subscribed

_PENDING = [PhotoState.QUEUED, PhotoState.PROCESSING]


def photos_finished(*, photo_ids: list[int], event_id: int | None = None) -> None:
    """photo.processed for each photo, then event.processed for each event left with nothing
    pending. The photos' state is read now, after they ended; a row lock on the event (taken
    here, in webhooks' task) serialises the expansions of an event's last photos, so exactly one
    of them sees nothing pending, and the dedupe key makes it once per set of photos."""
    photos = list(Photo.objects.filter(id__in=photo_ids).values("id", "studio_id", "event_id", "state", "failure_reason"))
    studios = {photo["studio_id"] for photo in photos}
    hooks = {studio_id: webhooks_subscribed(studio_id=studio_id) for studio_id in studios}  # one query each
    wants = {(studio_id, kind): any(kind in hook.events for hook in hooks[studio_id])
             for studio_id in studios for kind in (EventType.PHOTO_PROCESSED, EventType.EVENT_PROCESSED)}
    announced = [photo for photo in photos if wants[photo["studio_id"], EventType.PHOTO_PROCESSED]]
    if announced:
        faces = dict(Face.objects.filter(photo_id__in=[p["id"] for p in announced]).values("photo_id")
                     .annotate(n=Count("id")).values_list("photo_id", "n"))
        for photo in announced:
            deliveries_create(studio_id=photo["studio_id"], event_type=EventType.PHOTO_PROCESSED,
                              hooks=hooks[photo["studio_id"]], data={
                "photo_id": photo["id"], "event_id": photo["event_id"], "status": photo["state"],
                "reason": photo["failure_reason"] if photo["state"] == PhotoState.FAILED else "",
                "face_count": faces.get(photo["id"], 0)})
    events = sorted({(p["event_id"], p["studio_id"]) for p in photos if wants[p["studio_id"], EventType.EVENT_PROCESSED]})
    for event_id, studio_id in events:
        _event_processed(event_id=event_id, studio_id=studio_id, hooks=hooks[studio_id])


def _event_processed(*, event_id: int, studio_id: int, hooks: list[Webhook]) -> None:
    with transaction.atomic():
        if Event.objects.select_for_update().filter(id=event_id).first() is None:
            return
        counts = Photo.objects.filter(event_id=event_id).aggregate(
            pending=Count("id", filter=Q(state__in=_PENDING)), done=Count("id", filter=Q(state=PhotoState.DONE)),
            failed=Count("id", filter=Q(state=PhotoState.FAILED)), last=Max("id"))
        if counts["pending"]:
            return
        # Once per set of photos: new photos (higher ids) that finish later announce it again.
        deliveries_create(studio_id=studio_id, event_type=EventType.EVENT_PROCESSED, hooks=hooks,
                          dedupe_key=f"event.processed:{event_id}:{counts['last']}",
                          data={"event_id": event_id, "photos_done": counts["done"], "photos_failed": counts["failed"]})


def people_changed(*, event_id: int, person_ids: list[int]) -> None:
    """person.updated, once per person per change (a people update or a curation), not per face."""
    event = Event.objects.filter(id=event_id).values("studio_id").first()
    hooks = event and person_ids and webhooks_subscribed(studio_id=event["studio_id"], event_type=EventType.PERSON_UPDATED)
    if not hooks:
        return
    people = Person.objects.filter(event_id=event_id, id__in=set(person_ids)).annotate(n=Count("faces")).order_by("id")
    for person in people:
        deliveries_create(studio_id=event["studio_id"], event_type=EventType.PERSON_UPDATED, hooks=hooks, data={
            "person_id": person.id, "event_id": event_id, "name": person.name, "hidden": person.hidden,
            "face_count": person.n})


def guest_searched(*, studio_id: int, event_id: int, share_link_id: int, match_count: int) -> None:
    """guest.searched: counts only; never the selfie, its faces, or who the guest is."""
    deliveries_create(studio_id=studio_id, event_type=EventType.GUEST_SEARCHED, data={
        "event_id": event_id, "share_link_id": share_link_id, "match_count": match_count})


def removal_requested(*, studio_id: int, event_id: int, removal_request_id: int, face_count: int, pending: int) -> None:
    """removal.requested: which request to review and how many wait; never the guest or their faces."""
    deliveries_create(studio_id=studio_id, event_type=EventType.REMOVAL_REQUESTED, data={
        "event_id": event_id, "removal_request_id": removal_request_id, "face_count": face_count,
        "pending": pending})


def guest_matched(*, studio_id: int, event_id: int, share_link_id: int, photo_count: int) -> None:
    """guest.matched: an opted-in guest is being told about new photos; counts and the link only,
    never the guest's address, their face data or which photos."""
    deliveries_create(studio_id=studio_id, event_type=EventType.GUEST_MATCHED, data={
        "event_id": event_id, "share_link_id": share_link_id, "photo_count": photo_count})
