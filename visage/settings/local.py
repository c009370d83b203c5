"""Embedded default: SQLite, filesystem storage, filesystem Celery broker, no services."""
from pathlib import Path

from visage.settings import surface

surface.select("local")  # this environment's defaults (surface.PROFILE_DEFAULTS), before base publishes them

from visage.settings.base import *  # noqa: E402,F401,F403
from visage.settings.base import (  # noqa: E402
    CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_BROKER_URL, REDIS_URL, SECRET_KEY, VAR_DIR, VISAGE_KEY_STORE_DIR,
    VISAGE_MASTER_KEYS,
)
from visage.settings.keys import local_master_keys, local_secret_key  # noqa: E402

# `make run` serves static files from the source folders without collectstatic, with or without DEBUG
# (runserver's own static handler works only under DEBUG): WhiteNoise finds them where they are.
WHITENOISE_USE_FINDERS = True

# The embedded default keeps its database, objects and broker folders here; the filesystem
# broker needs its folders before the first message is sent.
VAR_DIR.mkdir(parents=True, exist_ok=True)
if CELERY_BROKER_URL == "filesystem://":
    for folder in CELERY_BROKER_TRANSPORT_OPTIONS.values():
        if isinstance(folder, str):
            Path(folder).mkdir(parents=True, exist_ok=True)

# The web server and the local worker are two processes: without Redis they share a file cache,
# so search-index invalidation, debouncing and rate limits reach both.
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}}

# No VISAGE_MASTER_KEYS on the embedded default: keep a generated key beside the database.
if not VISAGE_MASTER_KEYS:
    VISAGE_MASTER_KEYS = local_master_keys(VAR_DIR / "master_keys")

# Event keys as files beside the database, not in it: a copy of visage.sqlite3 alone decrypts no embedding.
if not VISAGE_KEY_STORE_DIR:
    VISAGE_KEY_STORE_DIR = str(VAR_DIR / "event_keys")

# Nor DJANGO_SECRET_KEY: a random one per install, kept in var/ (sessions survive restarts).
if not SECRET_KEY:
    SECRET_KEY = local_secret_key(VAR_DIR / "secret_key")
