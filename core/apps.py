from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = "Shared infrastructure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register this app's Celery tasks wherever Django runs (web, worker, shell, tests): a wake
        # sent by name from another app must find the task, or eager mode silently skips it.
        from core import tasks  # noqa: F401
