from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Faces and people"

    def ready(self):
        from events.counters import counter_source_register
        from events.gallery_facets import focus_source_register, photo_filter_register
        from events.hooks import event_deleting, event_visibility_changed, ingest_due
        from recognition import checks, hooks, tasks  # noqa: F401  (the check; our hooks; Celery tasks)
        from recognition.index_version import index_invalidate_visibility
        from recognition.ingest import tasks as ingest_tasks  # noqa: F401  (the reconciler's beat task)
        from recognition.ingest.worker import ingest_wake_due
        from recognition import gallery_facets
        from recognition.selectors import events_face_counters
        from recognition.services.keys import event_key_shred

        counter_source_register(events_face_counters)
        photo_filter_register("person", gallery_facets.photos_of_person)  # the studio gallery's filters
        photo_filter_register("faces", gallery_facets.photos_by_faces)
        focus_source_register(gallery_facets.photos_focus)  # face-aware square tiles
        # What events announces (events/hooks.py). The first two are required: without them the
        # stack refuses to start (core/hooks.py, check core.E010).
        event_deleting.subscribe(event_key_shred)  # crypto-shredding: the key goes before any row
        ingest_due.subscribe(ingest_wake_due)  # uploads wake the ingest engine (recognition/ingest/)
        event_visibility_changed.subscribe(index_invalidate_visibility)

        # The face pipeline's settings are handed to it by recognition.conf.ml_config(), not set here.
