"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""
from visage.settings.base import *  # noqa: F401,F403
from visage.settings.env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("DJANGO_SECRET_KEY")
# Read here, required at run time by the "visage" system check (migrate, runserver, check --deploy,
# the gunicorn config) but not by collectstatic, which builds the image without secrets.
VISAGE_MASTER_KEYS = env_str("VISAGE_MASTER_KEYS", "")
VISAGE_REQUIRE_MASTER_KEYS = True
# "localhost" for the container's own health probe (docker/compose.yml, Dockerfile HEALTHCHECK).
ALLOWED_HOSTS = [*env_list("DJANGO_ALLOWED_HOSTS", []), "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Webhooks go to public https URLs only (SSRF: never this network's private services).
VISAGE_WEBHOOKS_ALLOW_PRIVATE = env_bool("VISAGE_WEBHOOKS_ALLOW_PRIVATE", False)
VISAGE_WEBHOOKS_REQUIRE_HTTPS = env_bool("VISAGE_WEBHOOKS_REQUIRE_HTTPS", True)

# Persistent connections with health checks (runserver's thread per request would leak them).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

LOGGING["formatters"]["json"] = {"()": "core.logging.JsonFormatter"}  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = env_str("VISAGE_LOG_FORMAT", "json")  # noqa: F405

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
