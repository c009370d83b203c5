"""Rows the shared infrastructure keeps. Tenancy's own tables are in core.tenancy."""
from django.db import models
from django.db.models import Q

from core.tenancy.models import Studio


class JobState(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    """A long operation a user asked for and watches (re-clustering an event…): queued by the web
    request, run by a worker, its state polled by the page. The database keeps it, so a page
    reload or another web process sees the same progress."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    subject_id = models.BigIntegerField(help_text="The id of what the job works on (an event for 'recluster').")
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "subject_id", "-id"], name="job_subject_latest")]
        constraints = [
            # One live job per subject: a second click joins the queued one instead of running twice.
            models.UniqueConstraint(fields=["kind", "subject_id"], condition=Q(state__in=ACTIVE_STATES),
                                    name="job_one_active_per_subject"),
        ]


class OutboxRow(models.Model):
    """A notice for an app above the sender, written in the sender's transaction (so it exists
    exactly when the change it reports committed) and expanded later by that app's own task, which
    deletes it in the transaction that acts on it (core/outbox.py). ``topic`` says whose it is."""

    topic = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)  # ids only (a hook payload), never rows or personal data
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)  # expansions that raised
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["topic", "id"], name="outbox_topic")]
