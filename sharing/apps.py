from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"

    def ready(self):
        # Register this app's Celery tasks wherever Django runs (web, worker, shell, tests): a wake
        # sent by name from another app must find the task, or eager mode silently skips it.
        from sharing import hooks, tasks  # noqa: F401  (our hooks, declared for the required-hook check)
        from events.counters import counter_source_register
        from sharing.selectors import removal_counters

        counter_source_register(removal_counters)  # removal_requests_pending on every event's counters
        from events.hooks import photos_finished
        from recognition.services.keys import master_resealer_register
        from sharing.notify.channels import channels_reseal
        from sharing.notify.hook import photos_finished_queue_match
        from sharing.notify.subscriptions import notify_counters

        counter_source_register(notify_counters)  # notify_opted_in: guests told about new photos (a count)
        # "New photos of me": each finished batch is matched against the opted-in guests (a task on commit).
        photos_finished.subscribe(photos_finished_queue_match)
        master_resealer_register(channels_reseal)  # rotate_master_key re-seals phone channel URLs
