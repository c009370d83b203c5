"""Test settings: SQLite unless DATABASE_URL says otherwise (CI uses PostgreSQL). Fixed test keys,
eager Celery, a temporary MEDIA_ROOT: the "test" profile's defaults in surface.py (the environment still wins)."""
import tempfile
from pathlib import Path

from visage.settings import surface

surface.select("test")

from visage.settings.base import *  # noqa: E402,F401,F403
from visage.settings.base import STORAGES  # noqa: E402

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="visage-test-static-"))
