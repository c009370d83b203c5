"""The Celery app. Queues: ingest (the ingest engine: previews + faces, in batches), gpu (the
same engine where VISAGE_INGEST_QUEUE=gpu sends it to GPU workers only), cluster (people),
webhooks (signed deliveries and guests' new-photo notices: short tasks and network waits, kept off
the ingest queue, so that they never wait behind a burst of photos)."""
import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.local")

app = Celery("visage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue("ingest"), Queue("gpu"), Queue("cluster"), Queue("webhooks")]
app.autodiscover_tasks()



@worker_ready.connect
def reconcile_on_start(sender, **kwargs) -> None:
    """A worker that (re)starts picks up what waits at once: photos a dead worker held, lost wakes."""
    from recognition.ingest.tasks import reconcile_task

    reconcile_task.apply_async(queue="ingest")


@worker_process_init.connect
def load_models(**kwargs) -> None:
    """Each worker process loads the face models as it starts, not inside its first batch's time
    limit (set VISAGE_PRELOAD_MODELS=false for a worker that only serves the cluster queue)."""
    from django.conf import settings

    if settings.VISAGE_PRELOAD_MODELS:
        from recognition.conf import face_pipeline

        face_pipeline()
