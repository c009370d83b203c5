"""Settings shared by every environment. Everything that differs comes from the environment."""
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from visage.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VISAGE_VAR_DIR", str(BASE_DIR / "var")))

# No default here: production requires it, the embedded default generates one per install into
# var/ (settings/local.py), tests use a fixed one. A key in the repository would let anyone sign
# album links and session cookies for every install that kept it.
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

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
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'visage.sqlite3'}"),
        # 0 outside production: runserver serves each request on a new thread, and every thread
        # kept its own connection open (~95 idle PostgreSQL connections after a browsing session).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
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
MEDIA_ROOT = Path(env_str("VISAGE_MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Object storage: originals and derivatives -------------------------------------------
# "filesystem" (default) keeps objects under MEDIA_ROOT; "s3" uses any S3-compatible server.
VISAGE_STORAGE = env_str("VISAGE_STORAGE", "filesystem")
# A presigned download URL cannot be recalled: revoking its share link stops new URLs, not one already
# handed out. Pages follow the redirect at once, so a minute is enough (S3 checks expiry when a transfer
# starts; a long download that started in time finishes).
VISAGE_PRESIGNED_URL_SECONDS = env_int("VISAGE_PRESIGNED_URL_SECONDS", 60)
_S3_OPTIONS = {
    "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", "visage"),
    "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
    "region_name": env_str("AWS_S3_REGION_NAME", "us-east-1"),
    "access_key": env_str("AWS_ACCESS_KEY_ID"),
    "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
    "default_acl": None,
    "file_overwrite": True,  # keys are unique per photo; overwriting is a retry of the same bytes
    "querystring_auth": True,
    "querystring_expire": VISAGE_PRESIGNED_URL_SECONDS,
    "signature_version": "s3v4",
    "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "path"),
}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3_OPTIONS}
        if VISAGE_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if VISAGE_STORAGE == "s3":
    # Previews and thumbnails redirect to presigned URLs on the object store: pages may show images from it.
    _endpoint = urlsplit(_S3_OPTIONS["endpoint_url"] or "https://s3.amazonaws.com")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_endpoint.scheme}://{_endpoint.netloc}" if _S3_OPTIONS["endpoint_url"] else "https://*.amazonaws.com")

# --- Uploads -------------------------------------------------------------------------------
# Files above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to disk in chunks, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["events.uploads.SizeLimitedUploadHandler"]
VISAGE_MAX_UPLOAD_BYTES = env_int("VISAGE_MAX_UPLOAD_BYTES", 300 * 1024 * 1024)
VISAGE_MAX_FILES_PER_REQUEST = env_int("VISAGE_MAX_FILES_PER_REQUEST", 100)
DATA_UPLOAD_MAX_NUMBER_FILES = VISAGE_MAX_FILES_PER_REQUEST
# 200 MP covers medium-format cameras (~150 MP); anything larger is treated as a decompression bomb.
VISAGE_MAX_IMAGE_PIXELS = env_int("VISAGE_MAX_IMAGE_PIXELS", 200_000_000)
# Memory one image may take to decode (events.inspection.decode_cost_bytes). JPEG decodes at 1/8
# scale, so 200 MP JPEGs pass; WebP/PNG/TIFF decode at full size (8 bytes a pixel with the RGB
# copy): 1 GiB admits ~130 MP of them and refuses a 177 MP WebP "bomb" (1.4 GB).
VISAGE_DECODE_BUDGET_BYTES = env_int("VISAGE_DECODE_BUDGET_BYTES", 1024 * 1024 * 1024)
# --- Image decoding limits (hostile images; docs/image-limits.md) ---------------------------
# Every decode of an upload (the web request's check, the worker's decode) runs in a child with
# RLIMIT_AS at VISAGE_DECODE_BUDGET_BYTES and this much CPU: a legitimate 200 MP progressive JPEG
# takes ~3 s. A guest's selfie gets VISAGE_SELFIE_DECODE_CPU_MS for all its decodes together.
VISAGE_DECODE_CPU_SECONDS = env_int("VISAGE_DECODE_CPU_SECONDS", 20)
VISAGE_SELFIE_DECODE_CPU_MS = env_int("VISAGE_SELFIE_DECODE_CPU_MS", 1000)
VISAGE_SELFIE_DECODE_BUDGET_BYTES = env_int("VISAGE_SELFIE_DECODE_BUDGET_BYTES", 128 * 1024 * 1024)
VISAGE_PREVIEW_LONG_SIDE = 1600
VISAGE_THUMBNAIL_LONG_SIDE = 400

# --- Celery ----------------------------------------------------------------------------------
# With REDIS_URL set: real Celery over Redis. Without it (embedded default) a local worker
# talks through a filesystem broker under var/, so no server is needed.
REDIS_URL = env_str("REDIS_URL")
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
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
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
    "recognition.ingest.run": {"queue": env_str("VISAGE_INGEST_QUEUE", "ingest")},
    "recognition.tasks.event_*": {"queue": "cluster"},
    "webhooks.tasks.*": {"queue": "webhooks"},
}
CELERY_TASK_IGNORE_RESULT = True
# A broker that is down must not hold an upload request for long: the photo is already stored
# and queued in the database, and the reconciler wakes workers once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Retention: embeddings of events past their studio's retention are crypto-shredded.
# Reconcile: wake workers for photos left queued (a lost wake) or past their lease (a killed worker).
VISAGE_RECONCILE_SECONDS = env_int("VISAGE_RECONCILE_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "purge-expired": {"task": "sharing.tasks.purge_expired", "schedule": 6 * 3600},
    "reconcile": {"task": "recognition.ingest.reconcile", "schedule": VISAGE_RECONCILE_SECONDS},
    # Webhook notices left in the outbox and deliveries whose retry time came (or whose queue message was lost).
    "webhooks-due": {"task": "webhooks.tasks.dispatch_due", "schedule": env_int("VISAGE_WEBHOOK_SWEEP_SECONDS", 30)},
    "idempotency-purge": {"task": "core.tasks.idempotency_purge", "schedule": 3600},  # keys last 24 h
    # "Tell me when there are new photos of me": messages held back by the minimum interval.
    "notify-due": {"task": "sharing.tasks.notify_send_due", "schedule": env_int("VISAGE_NOTIFY_SWEEP_SECONDS", 60)},
}

# --- Webhooks (webhooks/, docs/webhooks.md) ---------------------------------------------------
# Private/loopback/link-local targets are refused (SSRF) unless allowed (local and test settings
# allow them); plain http is refused where https is required (production).
VISAGE_WEBHOOKS_ALLOW_PRIVATE = env_bool("VISAGE_WEBHOOKS_ALLOW_PRIVATE", False)
VISAGE_WEBHOOKS_REQUIRE_HTTPS = env_bool("VISAGE_WEBHOOKS_REQUIRE_HTTPS", False)
VISAGE_WEBHOOKS_PER_STUDIO = env_int("VISAGE_WEBHOOKS_PER_STUDIO", 20)
# Days the delivery log (bodies included) is kept.
VISAGE_WEBHOOK_LOG_DAYS = env_int("VISAGE_WEBHOOK_LOG_DAYS", 30)
# Connect and read timeout of one attempt (seconds); redirects are never followed.
VISAGE_WEBHOOK_TIMEOUT_SECONDS = env_int("VISAGE_WEBHOOK_TIMEOUT_SECONDS", 5)
# Waits after attempts 1..5: 6 attempts over ~62 min, then the delivery ends `failed`.
VISAGE_WEBHOOK_BACKOFF_SECONDS = [float(s) for s in env_list("VISAGE_WEBHOOK_BACKOFF_SECONDS",
                                                             ["30", "120", "300", "900", "2400"])]

# --- Ingest engine (recognition/ingest/) -------------------------------------------------------
# Workers claim photos from the database in batches, under a lease. A batch is decoded once,
# detected and embedded together; bigger batches pay off on a GPU (the GPU image sets 64, one
# worker process per GPU). On CPU batching buys little: 4 keeps a worker's peak RSS at 1.3-1.4 GB
# with 24 MP photos (8: 1.5-1.8 GB) and balances two workers better (scripts/bench_ingest.py).
VISAGE_INGEST_QUEUE = env_str("VISAGE_INGEST_QUEUE", "ingest")  # "gpu" on stacks with GPU workers
VISAGE_INGEST_BATCH = env_int("VISAGE_INGEST_BATCH", 4)
# How long a claim holds before another worker may take the photo (a killed worker's photos come
# back after this); a CPU batch of 8 takes ~10 s, so 120 s leaves a wide margin.
VISAGE_INGEST_LEASE_SECONDS = env_int("VISAGE_INGEST_LEASE_SECONDS", 120)
VISAGE_INGEST_MAX_ATTEMPTS = env_int("VISAGE_INGEST_MAX_ATTEMPTS", 3)
# One task keeps claiming batches for this long, then hands over to a fresh wake (fair queues,
# bounded time limits); at most this many wakes are sent for one upload request.
VISAGE_INGEST_TASK_SECONDS = env_int("VISAGE_INGEST_TASK_SECONDS", 240)
VISAGE_INGEST_MAX_WAKES = env_int("VISAGE_INGEST_MAX_WAKES", 4)
# Threads that read, decode and render previews ahead of the models: 1 where every core runs its
# own worker process; a GPU worker needs about one per CPU core to keep the device fed.
VISAGE_INGEST_LOADERS = env_int("VISAGE_INGEST_LOADERS", 1)

# --- Ingest outages: backoff and reconcile (recognition/ingest/retries.py, reconcile.py, docs/ingest.md) ---
# A transient error (storage, database unreachable) never spends a photo's attempts: the photo
# waits first, 2, 4 … up to max seconds (jittered), and ends failed ("transient") only after the
# patience; the reconciler queues such photos again once storage answers.
VISAGE_INGEST_RETRY_FIRST_SECONDS = env_int("VISAGE_INGEST_RETRY_FIRST_SECONDS", 2)
VISAGE_INGEST_RETRY_MAX_SECONDS = env_int("VISAGE_INGEST_RETRY_MAX_SECONDS", 120)
VISAGE_INGEST_RETRY_PATIENCE_SECONDS = env_int("VISAGE_INGEST_RETRY_PATIENCE_SECONDS", 1800)
# Faces stored this long ago without a people update (its message lost): the reconciler queues one.
VISAGE_RECONCILE_PEOPLE_GRACE_SECONDS = env_int("VISAGE_RECONCILE_PEOPLE_GRACE_SECONDS", 120)

# --- Camera upload over FTP/FTPS (camera/, docs/camera-upload.md) ------------------------------
# `python manage.py ftp_server` listens on VISAGE_FTP_HOST:VISAGE_FTP_PORT (make run: 127.0.0.1:2121).
# Cameras are told VISAGE_FTP_PUBLIC_HOST:VISAGE_FTP_PUBLIC_PORT ("" = the web request's host, the same port).
VISAGE_FTP_HOST = env_str("VISAGE_FTP_HOST", "127.0.0.1")
VISAGE_FTP_PORT = env_int("VISAGE_FTP_PORT", 2121)
VISAGE_FTP_PUBLIC_HOST = env_str("VISAGE_FTP_PUBLIC_HOST", "")
VISAGE_FTP_PUBLIC_PORT = env_int("VISAGE_FTP_PUBLIC_PORT", VISAGE_FTP_PORT)
# Passive data ports "FIRST-LAST" (open them in the firewall/NAT; "" = any free port), and the public
# address passive replies name when the server sits behind NAT ("" = the address the client reached).
VISAGE_FTP_PASSIVE_PORTS = env_str("VISAGE_FTP_PASSIVE_PORTS", "")
VISAGE_FTP_MASQUERADE_ADDRESS = env_str("VISAGE_FTP_MASQUERADE_ADDRESS", "")
# FTPS (explicit AUTH TLS) with this certificate chain and key (PEM); plain FTP stays allowed unless
# VISAGE_FTP_REQUIRE_TLS (most cameras speak plain FTP only).
VISAGE_FTP_TLS_CERT = env_str("VISAGE_FTP_TLS_CERT", "")
VISAGE_FTP_TLS_KEY = env_str("VISAGE_FTP_TLS_KEY", "")
VISAGE_FTP_REQUIRE_TLS = env_bool("VISAGE_FTP_REQUIRE_TLS", False)
# Per camera account: sessions at once, and bytes/s per upload (0 = unlimited), so one account
# cannot take the whole line; file size is capped by VISAGE_MAX_UPLOAD_BYTES while receiving.
VISAGE_FTP_MAX_SESSIONS_PER_USER = env_int("VISAGE_FTP_MAX_SESSIONS_PER_USER", 4)
VISAGE_FTP_UPLOAD_BYTES_PER_SECOND = env_int("VISAGE_FTP_UPLOAD_BYTES_PER_SECOND", 0)
# Wrong passwords: this many per account and client address, then that pair is locked out for the
# lockout's seconds (even the right password waits); per client address across accounts, (count, seconds).
VISAGE_FTP_MAX_FAILURES = env_int("VISAGE_FTP_MAX_FAILURES", 5)
VISAGE_FTP_LOCKOUT_SECONDS = env_int("VISAGE_FTP_LOCKOUT_SECONDS", 15 * 60)
VISAGE_FTP_FAILURES_PER_CLIENT = (env_int("VISAGE_FTP_FAILURES_PER_CLIENT", 50), 900)
# An upload cut off mid-file is kept this long for the same account to resume (REST + STOR), then dropped.
VISAGE_FTP_RESUME_SECONDS = env_int("VISAGE_FTP_RESUME_SECONDS", 900)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Face recognition ------------------------------------------------------------------------
# Master keys that wrap each event's data key: "k2:BASE64,k1:BASE64" (first wraps, all unwrap).
VISAGE_MASTER_KEYS = env_str("VISAGE_MASTER_KEYS")
# Where wrapped event data keys live: empty = the database (no setup); a directory = files outside
# the database, so database backups hold no keys and a shredded key is really gone (docs/sharing.md).
# make run defaults to var/event_keys (settings/local.py), compose to its eventkeys volume.
VISAGE_KEY_STORE_DIR = env_str("VISAGE_KEY_STORE_DIR")
VISAGE_EMBEDDER = env_str("VISAGE_EMBEDDER", "sface")
# Base URL printed in share links and QR codes ("" = the request's host); proxies in front of the
# web processes whose X-Forwarded-For entries are trusted for client addresses (rate limits).
VISAGE_PUBLIC_URL = env_str("VISAGE_PUBLIC_URL", "")
VISAGE_TRUSTED_PROXY_HOPS = env_int("VISAGE_TRUSTED_PROXY_HOPS", 0)
VISAGE_ALBUM_LINK_DAYS = env_int("VISAGE_ALBUM_LINK_DAYS", 7)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Visage <no-reply@localhost>")

# --- Guest PIN limits (issue #20: sharing.pin_limits; docs/sharing.md "PIN limits") ----------
# One device (signed cookie) at one address: this many wrong PINs, then it alone waits the lockout.
VISAGE_PIN_MAX_FAILURES = env_int("VISAGE_PIN_MAX_FAILURES", 5)
VISAGE_PIN_LOCKOUT_SECONDS = env_int("VISAGE_PIN_LOCKOUT_SECONDS", 15 * 60)
# One address, all its devices (a venue's NAT, or an attacker dropping cookies): (free wrong PINs,
# window seconds), then one attempt per pause. The whole link, every address: the same, per day.
VISAGE_PIN_FAILURES_PER_ADDRESS = (env_int("VISAGE_PIN_FAILURES_PER_ADDRESS", 20), 3600)
VISAGE_PIN_FAILURES_PER_LINK = (env_int("VISAGE_PIN_FAILURES_PER_LINK", 100), 86400)
# Pauses past those allowances: the first one, doubling per further wrong PIN up to the longest.
VISAGE_PIN_PAUSE_SECONDS = env_int("VISAGE_PIN_PAUSE_SECONDS", 2)
VISAGE_PIN_MAX_PAUSE_SECONDS = env_int("VISAGE_PIN_MAX_PAUSE_SECONDS", 120)
# "Forget me" on events that hide at once (issue #20, docs/sharing.md): the second, fresh selfie
# must come within this many seconds of the request, in at most this many tries.
VISAGE_FORGET_VERIFY_SECONDS = env_int("VISAGE_FORGET_VERIFY_SECONDS", 3600)
VISAGE_FORGET_VERIFY_TRIES = env_int("VISAGE_FORGET_VERIFY_TRIES", 3)
# "Tell me when there are new photos of me" (issue #17, docs/sharing.md "New photos of me"): at most
# one message per guest per this many minutes; none later than this many days after the opt-in
# (and never past the event's retention); sending tries before a message ends failed.
VISAGE_NOTIFY_MIN_MINUTES = env_int("VISAGE_NOTIFY_MIN_MINUTES", 10)
VISAGE_NOTIFY_WINDOW_DAYS = env_int("VISAGE_NOTIFY_WINDOW_DAYS", 30)
VISAGE_NOTIFY_SEND_TRIES = env_int("VISAGE_NOTIFY_SEND_TRIES", 5)
# Opt-ins per link from one address per hour: an address typed in is written to, so a client may
# not sign up a stream of other people's addresses.
VISAGE_NOTIFY_OPTINS_PER_CLIENT = (env_int("VISAGE_NOTIFY_OPTINS_PER_CLIENT", 10), 3600)

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
# Hostile JSON (core.parsers, checked in linear time): bodies over 1 MiB are a 413, nested deeper than 32 levels a 400.
VISAGE_MAX_JSON_BYTES = env_int("VISAGE_MAX_JSON_BYTES", 1024 * 1024)
VISAGE_MAX_JSON_DEPTH = env_int("VISAGE_MAX_JSON_DEPTH", 32)
# API tokens expire (core.authentication); a password change ends them at once.
VISAGE_API_TOKEN_SECONDS = env_int("VISAGE_API_TOKEN_SECONDS", 30 * 86400)
# Sign-in throttling (core.logins), web and API. Per account and client address: free failures,
# then waits doubling from the first to the longest; forgotten a day after the last failure.
VISAGE_LOGIN_FREE_FAILURES = env_int("VISAGE_LOGIN_FREE_FAILURES", 5)
VISAGE_LOGIN_BACKOFF_FIRST_SECONDS = env_int("VISAGE_LOGIN_BACKOFF_FIRST_SECONDS", 2)
VISAGE_LOGIN_BACKOFF_MAX_SECONDS = env_int("VISAGE_LOGIN_BACKOFF_MAX_SECONDS", 900)
VISAGE_LOGIN_BACKOFF_RESET_SECONDS = env_int("VISAGE_LOGIN_BACKOFF_RESET_SECONDS", 86400)
# Per account, clients' free failures together, (count, seconds): past it, only known clients (a
# right password from that address within the days below) may try until the window ends.
VISAGE_LOGIN_FAILURES_PER_ACCOUNT = (env_int("VISAGE_LOGIN_FAILURES_PER_ACCOUNT", 10), 900)
VISAGE_LOGIN_KNOWN_CLIENT_DAYS = env_int("VISAGE_LOGIN_KNOWN_CLIENT_DAYS", 30)
# Per client address across accounts, (count, seconds).
VISAGE_LOGIN_FAILURES_PER_CLIENT = (env_int("VISAGE_LOGIN_FAILURES_PER_CLIENT", 50), 900)
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
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("VISAGE_LOG_LEVEL", "INFO")},
}
