from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Faces and people"

    def ready(self):
        from events.counters import counter_source_register
        from events.people_due import people_update_queue_register
        from recognition import checks, receivers, tasks  # noqa: F401  (the check; events.signals; Celery tasks by name)
        from recognition.selectors import events_face_counters

        counter_source_register(events_face_counters)
        # The reconciler queues people updates whose message was lost (events cannot import us).
        people_update_queue_register(tasks.queue_people_update)
        # The face pipeline's settings are handed to it by recognition.conf.ml_config(), not set here.
