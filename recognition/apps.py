from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Faces and people"

    def ready(self):
        from django.conf import settings

        from events.counters import counter_source_register
        from events.people_due import people_update_queue_register
        from recognition import checks, receivers, tasks  # noqa: F401  (the check; events.signals; Celery tasks by name)
        from recognition.ml import images, pipeline
        from recognition.selectors import events_face_counters

        counter_source_register(events_face_counters)
        # The reconciler queues people updates whose message was lost (events cannot import us).
        people_update_queue_register(tasks.queue_people_update)

        # One pixel limit for the whole product: a photo the upload accepted is one the workers decode.
        images.MAX_PIXELS = settings.VISAGE_MAX_IMAGE_PIXELS
        # Workers decode under the same budget the upload was checked against, in a bounded child.
        images.DEFAULT_LIMITS = (settings.VISAGE_DECODE_CPU_SECONDS, settings.VISAGE_DECODE_BUDGET_BYTES)
        # The ingest engine renders previews from the decode it detects on: one decode per photo.
        pipeline.WORK_LONG_SIDE = settings.VISAGE_PREVIEW_LONG_SIDE
