"""Settings shared by every environment, built from the one configuration surface (surface.py):
every VISAGE_* variable is published under its own name, Django's settings are built from the rest.
Nothing here reads the environment."""
from urllib.parse import urlsplit

import dj_database_url

from visage.settings.surface import BASE_DIR, selected

SURFACE = selected()
globals().update(SURFACE.visage_settings())  # VISAGE_PIN_MAX_FAILURES, VISAGE_INGEST_BATCH, ... (surface.py)
VAR_DIR = SURFACE.paths.var_dir

SECRET_KEY = SURFACE.django.secret_key
DEBUG = SURFACE.django.debug
ALLOWED_HOSTS = SURFACE.django.allowed_hosts
CSRF_TRUSTED_ORIGINS = SURFACE.django.csrf_trusted_origins
SECURE_SSL_REDIRECT = SURFACE.django.secure_ssl_redirect
SECURE_HSTS_SECONDS = SURFACE.django.secure_hsts_seconds

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our own static files (no CDN)
    "csp",
    "core",
    "core.tenancy",
    "events",
    "recognition",
    "sharing",
    "webhooks",
    "camera",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Guest pages only (/s/…): the guest's language, before the slash check answers with a page.
    "sharing.locale.GuestLocaleMiddleware",
    "core.middleware.SafeAppendSlashMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "sharing.devices.GuestDeviceMiddleware",
]

# Strict CSP: scripts and styles only from our own static files (no inline code anywhere in
# templates/), images also from blob: (the selfie preview) and data: (generated charts), no
# framing. The API docs pages (Swagger UI, ReDoc) are served from our static files under this same policy.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"], "connect-src": ["'self'"], "font-src": ["'self'"],
    "object-src": ["'none'"], "base-uri": ["'self'"], "form-action": ["'self'"], "frame-ancestors": ["'none'"],
}}
# The guest selfie uses <input capture>, which needs no camera permission: every powerful feature is off.
VISAGE_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

ROOT_URLCONF = "visage.urls"
WSGI_APPLICATION = "visage.wsgi.application"
AUTH_USER_MODEL = "tenancy.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.studio_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        SURFACE.database_url, conn_max_age=SURFACE.services.database_conn_max_age, conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has a web server and several worker processes on one file: WAL lets
    # readers work beside a writer, IMMEDIATE takes the write lock at BEGIN (no lock-upgrade
    # deadlocks between claims), and writers wait up to 30 s instead of failing "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE", "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Guest pages' languages (sharing/locale.py, docs/guest-pages.md) -------------------------------
# Guest pages (/s/…) follow the guest's choice (cookie) or Accept-Language; studio pages and the API
# stay in LANGUAGE_CODE. Compiled catalogues (.mo) are committed next to their .po files in locale/.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "visage_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = SURFACE.media_root

# --- Object storage: originals and derivatives (VISAGE_STORAGE: "filesystem" or "s3") ------------
_S3_OPTIONS = {
    "bucket_name": SURFACE.s3.storage_bucket_name,
    "endpoint_url": SURFACE.s3.s3_endpoint_url,
    "region_name": SURFACE.s3.s3_region_name,
    "access_key": SURFACE.s3.access_key_id,
    "secret_key": SURFACE.s3.secret_access_key,
    "default_acl": None,
    "file_overwrite": True,  # keys are unique per photo; overwriting is a retry of the same bytes
    "querystring_auth": True,
    "querystring_expire": SURFACE.objectstorage.presigned_url_seconds,
    "signature_version": "s3v4",
    "addressing_style": SURFACE.s3.s3_addressing_style,
}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3_OPTIONS}
        if SURFACE.objectstorage.storage == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if SURFACE.objectstorage.storage == "s3":
    # Previews and thumbnails redirect to presigned URLs on the object store: pages may show images from it.
    _endpoint = urlsplit(_S3_OPTIONS["endpoint_url"] or "https://s3.amazonaws.com")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_endpoint.scheme}://{_endpoint.netloc}" if _S3_OPTIONS["endpoint_url"] else "https://*.amazonaws.com")

# --- Uploads -------------------------------------------------------------------------------
# Files above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to disk in chunks, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["events.uploads.SizeLimitedUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FILES = SURFACE.uploads.max_files_per_request
# Image decoding limits (hostile images; docs/image-limits.md): every decode of an upload (the web
# request's check, the worker's decode) runs in a child with RLIMIT_AS at VISAGE_DECODE_BUDGET_BYTES
# and VISAGE_DECODE_CPU_SECONDS; a guest's selfie gets VISAGE_SELFIE_DECODE_CPU_MS for all its decodes.

# --- Celery ----------------------------------------------------------------------------------
# With REDIS_URL set: real Celery over Redis. Without it (embedded default) a local worker
# talks through a filesystem broker under var/, so no server is needed.
REDIS_URL = SURFACE.services.redis_url
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "out"),
        "data_folder_out": str(_BROKER_DIR / "out"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = SURFACE.services.celery_task_always_eager
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "ingest"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Task names are strings only here (settings cannot import the apps); tests/test_tasks_registered.py
# asserts every name and pattern below matches a registered task.
CELERY_TASK_ROUTES = {
    "recognition.ingest.reconcile": {"queue": "ingest"},
    "recognition.ingest.run": {"queue": SURFACE.ingest.ingest_queue},
    "recognition.tasks.event_*": {"queue": "cluster"},
    "webhooks.tasks.*": {"queue": "webhooks"},
    # Guests' new-photo notices (matching, sending, the sweep) beside webhook deliveries, off the ingest
    # queue: there they waited behind every wake of a burst (scripts/bench_live.py: 24 photos, all notices
    # sent after the last photo was done, p50 210 s from upload; tests/test_tasks_registered.py).
    "sharing.tasks.notify_*": {"queue": "webhooks"},
}
CELERY_TASK_IGNORE_RESULT = True
# A broker that is down must not hold an upload request for long: the photo is already stored
# and queued in the database, and the reconciler wakes workers once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Retention: embeddings of events past their studio's retention are crypto-shredded.
# Reconcile: wake workers for photos left queued (a lost wake) or past their lease (a killed worker).
CELERY_BEAT_SCHEDULE = {
    "purge-expired": {"task": "sharing.tasks.purge_expired", "schedule": 6 * 3600},
    "reconcile": {"task": "recognition.ingest.reconcile", "schedule": SURFACE.ingest.reconcile_seconds},
    # Webhook notices left in the outbox and deliveries whose retry time came (or whose queue message was lost).
    "webhooks-due": {"task": "webhooks.tasks.dispatch_due", "schedule": SURFACE.webhooks.webhook_sweep_seconds},
    "idempotency-purge": {"task": "core.tasks.idempotency_purge", "schedule": 3600},  # keys last 24 h
    # "Tell me when there are new photos of me": messages held back by the minimum interval.
    "notify-due": {"task": "sharing.tasks.notify_send_due", "schedule": SURFACE.notify.notify_sweep_seconds},
}

# Webhooks (docs/webhooks.md), the ingest engine and its outage backoff (docs/ingest.md): VISAGE_WEBHOOK*,
# VISAGE_INGEST_*, VISAGE_RECONCILE_* in surface.py, with the measurements behind their defaults.

# Camera upload over FTP/FTPS (camera/, docs/camera-upload.md): VISAGE_FTP_* in surface.py.

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Face recognition, guest links, PIN limits, "forget me" (docs/sharing.md): VISAGE_MASTER_KEYS,
# VISAGE_KEY_STORE_DIR, VISAGE_EMBEDDER, VISAGE_PUBLIC_URL, VISAGE_PIN_*, VISAGE_GUEST_*, VISAGE_NOTIFY_* ... in surface.py.
DEFAULT_FROM_EMAIL = SURFACE.services.default_from_email
# SMTP by default; `make run` prints mails and tests keep them unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = SURFACE.services.email_backend
EMAIL_HOST = SURFACE.services.email_host
EMAIL_PORT = SURFACE.services.email_port
EMAIL_HOST_USER = SURFACE.services.email_host_user
EMAIL_HOST_PASSWORD = SURFACE.services.email_host_password
EMAIL_USE_TLS = SURFACE.services.email_use_tls
# Production requires the master keys (the "visage" system check), read by recognition/checks.py.
VISAGE_REQUIRE_MASTER_KEYS = False

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.ExpiringTokenAuthentication",
        "core.api_keys.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # API keys never do more than their scope (core.api_keys.key_may).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "core.api_keys.ApiKeyScopePermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.openapi.VisageAutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# JSON body limits (core.parsers), API token lifetime (core.authentication), sign-in throttling
# (core.logins): VISAGE_MAX_JSON_*, VISAGE_API_TOKEN_SECONDS, VISAGE_LOGIN_* in surface.py.
SPECTACULAR_SETTINGS = {
    "TITLE": "Visage API",
    "DESCRIPTION": "Event photos, face recognition and guest sharing. Authentication, errors, pagination, "
                   "X-Studio, idempotency and webhooks: docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"ShareLinkScopeEnum": "sharing.models.Scope", "ApiKeyScopeEnum": "core.tenancy.models.ApiKeyScope",
                            "WebhookEventTypeEnum": "webhooks.models.EventType"},
    "TAGS": [
        {"name": "auth", "description": "API tokens for a user (studio API keys: see docs/api.md)."},
        {"name": "events", "description": "A studio's events and their processing counters."},
        {"name": "photos", "description": "Uploading photos, their state, originals, previews and thumbnails."},
        {"name": "people", "description": "The people recognised in an event, curation, albums."},
        {"name": "share-links", "description": "Guest links with their access rules, QR codes and cards."},
        {"name": "organizers", "description": "The event's clients, who manage its sharing."},
        {"name": "removal-requests", "description": "Guests' \"forget me\" requests, decided by the studio."},
        {"name": "studio", "description": "Studio-wide settings."},
        {"name": "api-keys", "description": "Studio API keys for tools and uploaders."},
        {"name": "webhooks", "description": "Signed HTTP callbacks when photos, events and people change."},
        {"name": "guest", "description": "What a guest does with a share link: consent, selfie search, downloads."},
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
                   "json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": SURFACE.logs.log_format}},
    "root": {"handlers": ["console"], "level": SURFACE.logs.log_level},
}
