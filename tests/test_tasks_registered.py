"""Every task the product sends by name is registered as soon as Django is set up, in a fresh
process (web, worker, shell or tests alike). A wake sent by name to an unregistered task is
silently not run in eager mode (demos, tests) — uploads then sat unprocessed until this held."""
import json
import subprocess
import sys

from django.conf import settings

from events.wake import INGEST_TASK

_PROBE = """
import json, django
django.setup()
from celery import current_app
print(json.dumps(sorted(current_app.tasks)))
"""


def test_every_task_named_anywhere_is_registered_after_setup():
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=True,
                         env={"DJANGO_SETTINGS_MODULE": "visage.settings.test", "PATH": "/usr/bin:/bin"})
    registered = set(json.loads(out.stdout.strip().splitlines()[-1]))
    named = {INGEST_TASK} | {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert named <= registered, named - registered
