"""Embedded default: SQLite, filesystem storage, filesystem Celery broker, no services."""
from visage.settings.base import *  # noqa: F401,F403
from visage.settings.env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
