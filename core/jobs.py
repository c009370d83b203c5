"""Services for Job rows: queue once, claim with a conditional UPDATE, finish with a result."""
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.models import ACTIVE_STATES, Job, JobState
from core.tenancy.models import Studio


def job_queue(*, studio: Studio, kind: str, subject_id: int) -> tuple[Job, bool]:
    """The live job for this subject, or a new queued one → (job, created)."""
    live = Job.objects.filter(kind=kind, subject_id=subject_id, state__in=ACTIVE_STATES).first()
    if live is not None:
        return live, False
    try:
        with transaction.atomic():
            return Job.objects.create(studio=studio, kind=kind, subject_id=subject_id), True
    except IntegrityError:  # another request queued it a moment ago
        return Job.objects.get(kind=kind, subject_id=subject_id, state__in=ACTIVE_STATES), False


def job_start(*, job_id: int, stale_after: timedelta) -> bool:
    """Claim a queued job, or a running one whose worker died (running past `stale_after`, the
    task's hard limit); False for a job done, failed or still running (a duplicate message)."""
    now = timezone.now()
    claimable = Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, started_at__lt=now - stale_after)
    return bool(Job.objects.filter(claimable, id=job_id).update(state=JobState.RUNNING, started_at=now))


def job_finish(*, job_id: int, result: dict) -> None:
    Job.objects.filter(id=job_id).update(state=JobState.DONE, result=result, finished_at=timezone.now())


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(id=job_id).update(state=JobState.FAILED, error=error[:500], finished_at=timezone.now())


def job_latest(*, studio: Studio, kind: str, subject_id: int) -> Job | None:
    return Job.objects.filter(studio=studio, kind=kind, subject_id=subject_id).order_by("-id").first()


def job_payload(job: Job | None) -> dict:
    """What the API and the page show."""
    if job is None:
        return {"state": "none"}
    end = job.finished_at or timezone.now()
    return {
        "id": job.id, "state": job.state, "result": job.result, "error": job.error,
        "queued_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at,
        "seconds": round((end - job.started_at).total_seconds(), 1) if job.started_at else None,
    }
