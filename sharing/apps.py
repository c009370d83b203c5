from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"

    def ready(self):
        # Register this app's Celery tasks wherever Django runs (web, worker, shell, tests): a wake
        # sent by name from another app must find the task, or eager mode silently skips it.
        from sharing import tasks  # noqa: F401
