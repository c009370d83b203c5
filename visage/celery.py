"""The Celery app. Queues: ingest (storage, previews), gpu (faces), cluster (people)."""
import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.local")

app = Celery("visage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue("ingest"), Queue("gpu"), Queue("cluster")]
app.autodiscover_tasks()

