"""The Celery app. Queues: ingest (the ingest engine: previews + faces, in batches), gpu (the
same engine where VISAGE_INGEST_QUEUE=gpu sends it to GPU workers only), cluster (people)."""
import os

from celery import Celery
from celery.signals import worker_ready
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.local")

app = Celery("visage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue("ingest"), Queue("gpu"), Queue("cluster")]
app.autodiscover_tasks()



@worker_ready.connect
def reconcile_on_start(sender, **kwargs) -> None:
    """A worker that (re)starts picks up what waits at once: photos a dead worker held, lost wakes."""
    sender.app.send_task("events.tasks.reconcile", queue="ingest")
