from django.apps import AppConfig


class CameraConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "camera"
    verbose_name = "Camera upload (FTP)"
