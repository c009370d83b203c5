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
