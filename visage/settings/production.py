"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""
from django.core.exceptions import ImproperlyConfigured

from visage.settings import surface

surface.select("production")  # this environment's defaults (surface.PROFILE_DEFAULTS), before base publishes them

from visage.settings.base import *  # noqa: E402,F401,F403
from visage.settings.base import SURFACE  # noqa: E402

DEBUG = False
if not SURFACE.django.secret_key:
    raise ImproperlyConfigured("Environment variable DJANGO_SECRET_KEY is required in this configuration.")
# VISAGE_MASTER_KEYS is required at run time by the "visage" system check (migrate, runserver,
# check --deploy, the gunicorn config) but not by collectstatic, which builds the image without secrets.
VISAGE_MASTER_KEYS = SURFACE.keys.master_keys or ""
VISAGE_REQUIRE_MASTER_KEYS = True
# "localhost" for the container's own health probe (docker/compose.yml, Dockerfile HEALTHCHECK).
ALLOWED_HOSTS = [*SURFACE.django.allowed_hosts, "localhost"]

# DJANGO_SECURE_SSL_REDIRECT and DJANGO_SECURE_HSTS_SECONDS are on by default here (surface.PROFILE_DEFAULTS).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Persistent connections (DATABASE_CONN_MAX_AGE, 60 here) with health checks.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
