from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Faces and people"

    def ready(self):
        from django.conf import settings

        from events.counters import counter_source_register
        from events.hooks import event_deleting, event_visibility_changed, ingest_due
        from recognition import checks, hooks, tasks  # noqa: F401  (the check; our hooks; Celery tasks)
        from recognition.index_version import index_invalidate_visibility
        from recognition.ingest import tasks as ingest_tasks  # noqa: F401  (the reconciler's beat task)
        from recognition.ingest.worker import ingest_wake_due
        from recognition.ml import images, pipeline
        from recognition.selectors import events_face_counters
        from recognition.services.keys import event_key_shred

        counter_source_register(events_face_counters)
        # What events announces (events/hooks.py). The first two are required: without them the
        # stack refuses to start (core/hooks.py, check core.E010).
        event_deleting.subscribe(event_key_shred)  # crypto-shredding: the key goes before any row
        ingest_due.subscribe(ingest_wake_due)  # uploads wake the ingest engine (recognition/ingest/)
        event_visibility_changed.subscribe(index_invalidate_visibility)

        # One pixel limit for the whole product: a photo the upload accepted is one the workers decode.
        images.MAX_PIXELS = settings.VISAGE_MAX_IMAGE_PIXELS
        # Workers decode under the same budget the upload was checked against, in a bounded child.
        images.DEFAULT_LIMITS = (settings.VISAGE_DECODE_CPU_SECONDS, settings.VISAGE_DECODE_BUDGET_BYTES)
        # The ingest engine renders previews from the decode it detects on: one decode per photo.
        pipeline.WORK_LONG_SIDE = settings.VISAGE_PREVIEW_LONG_SIDE
