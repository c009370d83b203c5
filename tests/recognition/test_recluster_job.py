"""Re-clustering is queued, not run in the request: a Job row shows queued → running → done/failed."""
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from core.jobs import job_start
from core.models import Job, JobState
from events.services import event_create
from recognition import tasks


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Gala")


def _url(event):
    return f"/api/v1/events/{event.id}/people/recluster/"


def test_post_queues_and_the_request_does_not_cluster(event, as_alice, django_capture_on_commit_callbacks):
    with mock.patch("recognition.tasks.event_recluster") as recluster:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = as_alice.post(_url(event))
        assert response.status_code == 202 and response.json()["state"] == "queued"
        recluster.assert_not_called()  # the slow part waits for a worker
        assert as_alice.get(_url(event)).json()["state"] == "queued"
        assert len(callbacks) == 1


def test_a_second_click_joins_the_live_job(event, as_alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = as_alice.post(_url(event)).json()
        second = as_alice.post(_url(event)).json()
    assert first["id"] == second["id"] and len(callbacks) == 1
    assert Job.objects.filter(subject_id=event.id).count() == 1


def test_the_worker_runs_it_and_the_result_is_shown(event, as_alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(_url(event))
    shown = as_alice.get(_url(event)).json()
    assert shown["state"] == "done" and shown["result"]["people"] == 0 and shown["seconds"] >= 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # done: a new click is a new job
        assert as_alice.post(_url(event)).json()["id"] != shown["id"]
    assert len(callbacks) == 1


def test_a_failure_is_shown_not_left_running(event, as_alice, django_capture_on_commit_callbacks):
    with mock.patch("recognition.tasks.event_recluster", side_effect=RuntimeError("key missing")):
        with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
            as_alice.post(_url(event))
    shown = as_alice.get(_url(event)).json()
    assert shown["state"] == "failed" and "key missing" in shown["error"]


def test_a_redelivered_message_does_not_run_twice_but_a_dead_workers_job_is_taken_over(event, alice):
    job = Job.objects.create(studio=event.studio, kind="recluster", subject_id=event.id)
    limit = timedelta(seconds=tasks.RECLUSTER_TIME_LIMIT_S)
    assert job_start(job_id=job.id, stale_after=limit)
    assert not job_start(job_id=job.id, stale_after=limit)  # still running elsewhere
    Job.objects.filter(id=job.id).update(started_at=timezone.now() - limit - timedelta(seconds=1))
    tasks.event_recluster_task(event.id, job.id)
    assert Job.objects.get(id=job.id).state == JobState.DONE


def test_roles(event, as_vera, as_charlie):
    assert as_vera.get(_url(event)).json() == {"state": "none"}  # viewers watch
    assert as_vera.post(_url(event)).status_code == 403  # but do not start one
    assert as_charlie.get(_url(event)).status_code == 404
