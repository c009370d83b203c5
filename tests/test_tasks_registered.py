"""Every task the product names is registered as soon as Django is set up, in a fresh process
(web, worker, shell or tests alike). Code sends tasks by their objects; the only names written as
strings are in settings (beat schedule, routes), which cannot import the apps, so each of them is
checked here: a beat entry or route naming a task that moved would silently do nothing."""
import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

_PROBE = """
import json, django
django.setup()
from celery import current_app
print(json.dumps(sorted(current_app.tasks)))
"""


def _registered() -> set[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=True,
                         env={"DJANGO_SETTINGS_MODULE": "visage.settings.test", "PATH": "/usr/bin:/bin"})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_every_task_named_in_settings_is_registered_after_setup():
    registered = _registered()
    named = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert named <= registered, named - registered
    # A route is a name or a pattern: each must match at least one registered task.
    unrouted = [route for route in settings.CELERY_TASK_ROUTES if not fnmatch.filter(registered, route)]
    assert not unrouted, unrouted
    # The engine's task goes to the configured ingest queue (gpu on GPU stacks).
    assert settings.CELERY_TASK_ROUTES["recognition.ingest.run"]["queue"] == settings.VISAGE_INGEST_QUEUE


def test_guests_notices_do_not_queue_behind_photos_and_every_worker_takes_them():
    """Matching a finished batch against the opted-in guests and sending their messages go on the
    webhooks queue: on the ingest queue (the default) they waited behind every wake of a burst, so
    guests heard of the first photo only after the last was processed (scripts/bench_live.py)."""
    from celery import current_app

    registered = _registered()
    notify = sorted(name for name in registered if name.startswith("sharing.tasks.notify_"))
    assert {"sharing.tasks.notify_match", "sharing.tasks.notify_deliver", "sharing.tasks.notify_send_due"} <= set(notify)
    routed = {name: current_app.amqp.router.route({}, name)["queue"].name for name in notify}
    assert routed == dict.fromkeys(notify, "webhooks")
    root = Path(__file__).resolve().parent.parent
    for path in ("scripts/run_local.sh", "docker/compose.yml"):  # the workers that take ingest take these too
        workers = [queues.split(",") for queues in re.findall(r"worker -Q (\S+)", (root / path).read_text())]
        assert workers and all("webhooks" in queues for queues in workers if "ingest" in queues), (path, workers)


APPS = ("core", "events", "recognition", "sharing", "webhooks", "web", "visage")


def test_no_app_sends_a_task_by_name_or_wires_a_django_signal():
    """Tasks are sent by their objects (a moved task then fails at import, not silently at run
    time), and apps tell each other things through typed hooks (core/hooks.py), whose required
    subscribers are checked at start-up: never through Django signals, which nothing checks."""
    root = Path(__file__).resolve().parent.parent
    found = [f"{path.relative_to(root)}: {needle}" for app in APPS for path in sorted((root / app).rglob("*.py"))
             for needle in ("send_task(", ".signature(", "django.dispatch") if needle in path.read_text()]
    assert not found, found
