"""Test settings: SQLite unless DATABASE_URL says otherwise (CI uses PostgreSQL)."""
import tempfile
from pathlib import Path

from visage.settings.base import *  # noqa: F401,F403
from visage.settings.base import STORAGES

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="visage-test-media-"))
STORAGES = {**STORAGES, "default": {
    "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT},
}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="visage-test-static-"))
# Fixed test keys (never used outside tests).
SECRET_KEY = "test-only-secret-key-not-for-any-install"
VISAGE_MASTER_KEYS = "test1:" + "dGVzdC1tYXN0ZXIta2V5LXZpc2FnZS0zMi1ieXRlcyE="
# Webhook tests deliver to a real HTTP server on loopback (tests/webhooks).
VISAGE_WEBHOOKS_ALLOW_PRIVATE = True
