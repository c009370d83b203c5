"""Re-clustering on demand: queued as a Job (core.jobs) and run by a worker on the `cluster`
queue, never inside the web request (it locks the event and can take minutes on a big event).
Beside recognition.tasks, not in services/: it queues a task, and the tasks import the services."""
from django.db import transaction

from core.jobs import job_latest, job_queue
from core.models import Job
from events.models import Event
from recognition.tasks import event_recluster_task


RECLUSTER = "recluster"


def recluster_queue(*, event: Event) -> tuple[Job, bool]:
    """Queue a re-cluster once (a second request joins the live job) → (job, created); the task
    is sent when the transaction commits."""
    job, created = job_queue(studio=event.studio, kind=RECLUSTER, subject_id=event.id)
    if created:
        transaction.on_commit(lambda: event_recluster_task.delay(event.id, job.id))
    return job, created


def recluster_latest(*, event: Event) -> Job | None:
    return job_latest(studio=event.studio, kind=RECLUSTER, subject_id=event.id)
