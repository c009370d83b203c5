from django.apps import AppConfig


class WebConfig(AppConfig):
    """Server-rendered pages for photographers and organizers; their scripts call the REST API."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "web"
