"""Recognition tasks: thin wrappers that look up by id and call the services."""
import logging
from datetime import timedelta

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerUnavailable
from redis.exceptions import RedisError
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from events.conf import ingest as ingest_config
from core.jobs import job_fail, job_finish, job_start

from events.models import Event
from events.people_due import event_people_due_later, event_people_due_take
from events.retries import photos_next_retry
from events.wake import ingest_wake
from recognition.ingest.engine import ingest_run
from recognition.services.people import event_people_update, event_recluster

logger = logging.getLogger(__name__)


@shared_task(name="recognition.tasks.ingest_run", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=ingest_config().ingest_task_seconds + 120,
             time_limit=ingest_config().ingest_task_seconds + 180)
def ingest_run_task() -> None:
    """Woken by uploads and the reconciler: process waiting photos in batches (recognition/ingest).

    The message carries no photo: the database says what is waiting, so a lost, duplicated or
    redelivered wake changes nothing but timing.
    """
    report = ingest_run()
    for event_id in report.events:
        queue_people_update(event_id)
    if report.more_waiting:
        ingest_wake()  # hand over to a fresh task rather than hold one for ever
    if report.released:
        _wake_after_backoff()


def _wake_after_backoff() -> None:
    """Photos sent back by a transient error are claimable at their retry_at: be there then
    (if this wake is lost too, the reconciler wakes workers for them)."""
    next_retry = photos_next_retry()
    if next_retry is not None:
        ingest_wake(countdown=max(1.0, (next_retry - timezone.now()).total_seconds()))


PEOPLE_UPDATE_DELAY_S = 5  # let a burst of finished photos share one people update
# The broker or the cache away (Redis, or the embedded filesystem broker); an error of the update
# itself (run inline when tasks are eager) still propagates.
QUEUEING_ERRORS = (BrokerUnavailable, RedisError, OSError)


def queue_people_update(event_id: int, delay_s: int = PEOPLE_UPDATE_DELAY_S) -> bool:
    """Debounced: at most one pending people update per event. True if queued now; False if one
    is already queued or the broker (or cache) is away, which never fails the caller: the event's
    people_due_at stays set and the reconciler queues the update once the broker is back."""
    key = f"recognition:people-update:{event_id}"
    try:
        if not cache.add(key, 1, timeout=delay_s + PEOPLE_UPDATE_DELAY_S * 4):
            return False
        event_people_update_task.apply_async((event_id,), countdown=delay_s)
        return True
    except QUEUEING_ERRORS as exc:
        logger.warning("event %s: could not queue the people update (%s: %s); the reconciler will",
                       event_id, exc.__class__.__name__, exc)
        _forget_queued(key)
        return False


def _forget_queued(key: str) -> None:
    try:  # the debounce key must not hold back the reconciler's retry
        cache.delete(key)
    except QUEUEING_ERRORS:  # the cache is away too: the key expires by itself
        pass


@shared_task(name="recognition.tasks.event_people_update", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=600, time_limit=660)
def event_people_update_task(event_id: int) -> None:
    cache.delete(f"recognition:people-update:{event_id}")  # later photos queue a fresh run
    event = Event.objects.filter(id=event_id).first()
    if event is None:
        return
    with transaction.atomic():  # the outbox flag is cleared only if the update commits
        event_people_due_take(event_id=event_id)
        result = event_people_update(event=event)
        if result["retry_in"]:  # leftovers wait for more photos: due again then, if that run is lost
            event_people_due_later(event_id=event_id, seconds=result["retry_in"])
    logger.info("event %s: people update %s", event_id, result)
    if result["retry_in"]:  # leftovers wait for more photos; cluster them when the wait is over
        queue_people_update(event_id, delay_s=result["retry_in"])


RECLUSTER_TIME_LIMIT_S = 1260


@shared_task(name="recognition.tasks.event_recluster", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=1200, time_limit=RECLUSTER_TIME_LIMIT_S)
def event_recluster_task(event_id: int, job_id: int | None = None) -> None:
    """Re-cluster an event; with `job_id`, the Job row the page polls says how it went."""
    if job_id is not None and not job_start(job_id=job_id, stale_after=timedelta(seconds=RECLUSTER_TIME_LIMIT_S)):
        return  # already run (a redelivered message) or never queued
    event = Event.objects.filter(id=event_id).first()
    try:
        result = event_recluster(event=event) if event is not None else {}
    except Exception as exc:
        if job_id is not None:  # the page shows the failure rather than "running" for ever
            job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
        raise
    logger.info("event %s: re-cluster %s", event_id, result)
    if job_id is not None:
        job_finish(job_id=job_id, result=result)

