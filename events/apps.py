from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and photos"

    def ready(self):
        # Register this app's Celery tasks wherever Django runs (web, worker, shell, tests): a wake
        # sent by name from another app must find the task, or eager mode silently skips it.
        from events import tasks  # noqa: F401
