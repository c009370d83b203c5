"""Embedded default: SQLite, filesystem storage, filesystem Celery broker, no services."""
from visage.settings.base import *  # noqa: F401,F403
from visage.settings.base import VAR_DIR
from visage.settings.env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The embedded default keeps its database, objects and broker folders here.
VAR_DIR.mkdir(parents=True, exist_ok=True)
