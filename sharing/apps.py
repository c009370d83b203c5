from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"

    def ready(self):
        # Register this app's Celery tasks wherever Django runs (web, worker, shell, tests): a wake
        # sent by name from another app must find the task, or eager mode silently skips it.
        from sharing import tasks  # noqa: F401
        from events.counters import counter_source_register
        from sharing.selectors import removal_counters

        counter_source_register(removal_counters)  # removal_requests_pending on every event's counters
        from sharing.notify import hook
        from sharing.notify.subscriptions import notify_counters

        counter_source_register(notify_counters)  # notify_opted_in: guests told about new photos (a count)

        hook.connect()  # "new photos of me": finished batches are matched against opted-in guests
        from recognition.services.keys import master_resealer_register
        from sharing.notify.channels import channels_reseal

        master_resealer_register(channels_reseal)  # rotate_master_key re-seals phone channel URLs
