from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        # receivers: connect to the lower apps' signals; tasks: registered wherever Django runs, so a
        # dispatch by name honours task_always_eager (tests, demos) instead of going to the broker.
        from webhooks import receivers, tasks  # noqa: F401
