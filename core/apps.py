from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = "Shared infrastructure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register this app's Celery tasks wherever Django runs (web, worker, shell, tests), and
        # the check that refuses to start while a required hook has no subscriber (core/hooks.py).
        from core import hooks, tasks  # noqa: F401
