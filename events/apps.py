from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and photos"

    def ready(self):
        # What events announces (events/hooks.py): declared here so the required-hook check sees
        # every hook; the apps above subscribe in their own ready().
        from events import hooks  # noqa: F401
