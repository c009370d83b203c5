"""The Celery app. Queues: ingest (storage, previews), gpu (faces), cluster (people)."""
import os
from pathlib import Path

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.local")

app = Celery("visage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue("ingest"), Queue("gpu"), Queue("cluster")]
app.autodiscover_tasks()


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport (embedded default) needs its folders before the first message."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
