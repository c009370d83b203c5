"""Embedded default: SQLite, filesystem storage, filesystem Celery broker, no services."""
from visage.settings.base import *  # noqa: F401,F403
from visage.settings.base import VAR_DIR, VISAGE_MASTER_KEYS
from visage.settings.keys import local_master_keys
from visage.settings.env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The embedded default keeps its database, objects and broker folders here.
VAR_DIR.mkdir(parents=True, exist_ok=True)

# No VISAGE_MASTER_KEYS on the embedded default: keep a generated key beside the database.
if not VISAGE_MASTER_KEYS:
    VISAGE_MASTER_KEYS = local_master_keys(VAR_DIR / "master_keys")
