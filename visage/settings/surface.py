"""The one configuration surface: every environment variable Visage reads, its type and its one default.

Nothing else in the code reads the environment (tests/test_configuration.py greps for it). The
settings modules publish these values as Django settings: every ``VISAGE_*`` variable becomes the
Django setting of the same name (so ``override_settings(VISAGE_PIN_MAX_FAILURES=9)`` works in tests),
and Django's own settings (DATABASES, EMAIL_*, CELERY_*, STORAGES...) are built from the other areas.
Apps read typed config objects built from those settings at call time (``sharing.conf``,
``webhooks.conf``, ``core.conf``, ``events.conf``, ``recognition.conf``); the face pipeline
(recognition/ml, Django-free) is handed an ``MLConfig`` by its caller.

pydantic-settings, not django-environ: each area is a typed class whose fields *are* the list of
variables (the documentation test walks them), values are validated with a message naming the
variable, and the module imports no Django, so gunicorn's config and the Django-free scripts read
the same surface.

How to add a setting (and how to fold in a branch's ``X = env_int("VISAGE_X", 5)`` from base.py):
1. add a field to the area below whose prefix it shares: ``x: int = 5`` in a ``VISAGE_`` area is
   read from ``VISAGE_X`` (the field name is the variable's name without ``VISAGE_``, lower case);
   a comment says why the default is what it is. A different default for one environment goes in
   ``PROFILE_DEFAULTS``, never in a second reader;
2. nothing to do in base.py for a ``VISAGE_*`` value: it is published as ``settings.VISAGE_X``
   (a Django setting of another name: build it in base.py from ``SURFACE``);
3. read it in the app through its typed config (``events.conf.ingest().x`` ...), never with
   ``getattr(settings, "VISAGE_X", default)`` or ``os.environ``;
4. document it in a table (README "Configuration" or a docs/*.md table) and give it a probe in
   tests/test_configuration.py (``PROBES``): the test sets it in a subprocess and checks that the value
   the code uses changed. ``python -m visage.settings.surface`` lists every variable with its default.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# (count, seconds): "30" keeps the default window, "30/120" sets both.
Rate = Annotated[tuple[int, int], NoDecode]
# Comma-separated in the environment.
Words = Annotated[list[str], NoDecode]
Numbers = Annotated[list[float], NoDecode]


class ConfigurationError(ValueError):
    """A variable's value cannot be used; the message names the variable."""


class Area(BaseSettings):
    """One group of variables. The environment wins over a profile's default, which wins over the field's."""

    model_config = SettingsConfigDict(env_prefix="VISAGE_", frozen=True, extra="ignore", env_ignore_empty=True)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings, file_secret_settings):
        return env_settings, init_settings  # init = the profile's defaults

    @classmethod
    def env_name(cls, field: str) -> str:
        return (cls.model_config.get("env_prefix") or "") + field.upper()

    @field_validator("*", mode="before")
    @classmethod
    def _split(cls, value: Any, info) -> Any:
        if not isinstance(value, str):
            return value
        annotation = cls.model_fields[info.field_name].annotation
        if annotation == tuple[int, int]:  # a Rate
            count, _, seconds = value.partition("/")
            return int(count), int(seconds) if seconds else cls.model_fields[info.field_name].default[1]
        if annotation in (list[str], list[float]):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value


class Paths(Area):
    # var/ holds the embedded default's database, objects, broker folders and generated secrets.
    var_dir: Path = BASE_DIR / "var"
    media_root: Path | None = None  # None: VAR_DIR/media


class Django(Area):
    """Django's own settings (published under Django's names by base.py)."""

    model_config = SettingsConfigDict(env_prefix="DJANGO_")
    # No default: production requires it, the embedded default generates one per install into var/,
    # tests use a fixed one. A key in the repository would sign album links for every install that kept it.
    secret_key: str | None = None
    debug: bool = False
    allowed_hosts: Words = ["127.0.0.1", "localhost"]
    csrf_trusted_origins: Words = []
    secure_ssl_redirect: bool = False  # production: true
    secure_hsts_seconds: int = 0  # production: a year


class Services(Area):
    """The database, Redis, Celery's eager mode, e-mail: third-party names, no prefix."""

    model_config = SettingsConfigDict(env_prefix="")
    database_url: str | None = None  # None: SQLite in VAR_DIR
    # 0 outside production: runserver serves each request on a new thread, and every thread kept
    # its own connection open (~95 idle PostgreSQL connections after a browsing session).
    database_conn_max_age: int = 0
    # Set: real Celery over Redis and the Redis cache. Unset: a filesystem broker under var/.
    redis_url: str | None = None
    celery_task_always_eager: bool = False
    # Django's e-mail backend: SMTP (EMAIL_HOST ...) unless an environment's default says otherwise
    # (`make run` prints mails, tests keep them); set it to the SMTP backend to send from `make run`.
    email_backend: str = "django.core.mail.backends.smtp.EmailBackend"
    email_host: str = "localhost"
    email_port: int = 587
    email_host_user: str = ""
    email_host_password: str = ""
    email_use_tls: bool = True
    default_from_email: str = "Visage <no-reply@localhost>"


class ObjectStorage(Area):
    """"filesystem" keeps objects under MEDIA_ROOT; "s3" any S3-compatible server (AWS_* below)."""

    storage: str = "filesystem"
    # A presigned download URL cannot be recalled: revoking its share link stops new URLs, not one
    # already handed out. Pages follow the redirect at once, so a minute is enough.
    presigned_url_seconds: int = 60


class S3(Area):
    model_config = SettingsConfigDict(env_prefix="AWS_")
    storage_bucket_name: str = "visage"
    s3_endpoint_url: str | None = None
    s3_region_name: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: str | None = None
    s3_addressing_style: str = "path"


class Uploads(Area):
    max_upload_bytes: int = 300 * 1024 * 1024
    max_files_per_request: int = 100
    # Requests the upload page keeps in flight (SQLite in the browser tests: 1).
    upload_parallel_requests: int = 2
    # 200 MP covers medium-format cameras (~150 MP); anything larger is treated as a decompression bomb.
    max_image_pixels: int = 200_000_000
    # Memory one image may take to decode (events.inspection.decode_cost_bytes): WebP/PNG/TIFF decode
    # at full size (8 bytes a pixel): 1 GiB admits ~130 MP of them and refuses a 177 MP WebP "bomb".
    decode_budget_bytes: int = 1024 * 1024 * 1024
    # CPU of one decode in its child: a legitimate 200 MP progressive JPEG takes ~3 s.
    decode_cpu_seconds: int = 20
    # The ingest engine's one decode is at least this large: the preview is rendered from it.
    preview_long_side: int = 1600
    thumbnail_long_side: int = 400


class Ingest(Area):
    # "gpu" on stacks with GPU workers.
    ingest_queue: str = "ingest"
    # On CPU batching buys little: 4 keeps a worker's peak RSS at 1.3-1.4 GB with 24 MP photos
    # (8: 1.5-1.8 GB) and balances two workers better (scripts/bench_ingest.py). GPU image: 64.
    ingest_batch: int = 4
    # A CPU batch of 8 takes ~10 s, so 120 s leaves a wide margin before another worker may take it.
    ingest_lease_seconds: int = 120
    ingest_max_attempts: int = 3
    # One task claims batches this long, then hands over to a fresh wake (bounded time limits).
    ingest_task_seconds: int = 240
    ingest_max_wakes: int = 4
    # 1 where every core runs its own worker process; a GPU worker needs about one per CPU core.
    ingest_loaders: int = 1
    # A transient error (storage, database) waits first, 2, 4 ... up to max seconds and ends failed
    # ("transient") only after the patience.
    ingest_retry_first_seconds: int = 2
    ingest_retry_max_seconds: int = 120
    ingest_retry_patience_seconds: int = 1800
    reconcile_seconds: int = 60
    reconcile_people_grace_seconds: int = 120
    # Worker processes load the face models as they start (false: a worker for the cluster queue only).
    preload_models: bool = True


class Models(Area):
    """The face models (handed to recognition/ml as an MLConfig)."""

    embedder: str = "sface"
    facenet_weights: str | None = None
    # One torch thread per worker process (recognition/ml/runtime.py has the measurements); None
    # leaves torch alone where the operator set OMP_NUM_THREADS / MKL_NUM_THREADS.
    torch_threads: int | None = 1
    # "auto" (true): bf16 where the CPU computes it natively; "false" keeps fp32.
    cpu_bf16: bool = True

    @field_validator("cpu_bf16", mode="before")
    @classmethod
    def _auto(cls, value: Any) -> Any:
        return True if isinstance(value, str) and value.strip().lower() == "auto" else value


class Keys(Area):
    # "k2:BASE64,k1:BASE64" (first wraps, all unwrap).
    master_keys: str | None = None
    # Empty: wrapped event keys in the database; a directory: files outside it (docs/sharing.md).
    key_store_dir: str | None = None


class Webhooks(Area):
    # Private/loopback/link-local targets are refused (SSRF) unless allowed.
    webhooks_allow_private: bool = False
    webhooks_require_https: bool = False
    webhooks_per_studio: int = 20
    webhook_log_days: int = 30
    webhook_timeout_seconds: int = 5
    # Waits after attempts 1..5: 6 attempts over ~62 min, then the delivery ends `failed`.
    webhook_backoff_seconds: Numbers = [30, 120, 300, 900, 2400]
    webhook_sweep_seconds: int = 30


class Sharing(Area):
    # Base URL in share links and QR codes ("" = the request's host).
    public_url: str = ""
    trusted_proxy_hops: int = 0
    album_link_days: int = 7
    # Phone selfies are 2-8 MB; 15 MB leaves room for HEIC->JPEG conversions without inviting abuse.
    selfie_max_bytes: int = 15 * 1024 * 1024
    # Phone selfie cameras are 8-32 MP; a selfie is analysed at 1024 px anyway.
    selfie_max_pixels: int = 40_000_000
    selfie_decode_cpu_ms: int = 1000
    # A phone's 12 MP HEIC selfie (8-bit 4:2:0, 512 px tiles; HEIF has no reduced decode) is
    # estimated at 146 MiB (core.images) and peaks at 118 MiB (child 93 + web 25), its child needing
    # 120 MiB of address space: docs/image-limits.md "HEIC/HEIF" has the commands. 128 MiB refused it.
    selfie_decode_budget_bytes: int = 160 * 1024 * 1024
    guest_session_seconds: int = 24 * 3600
    # A link's whole audience: 300 a minute is a wedding's guests all scanning after the speeches.
    guest_searches_per_link: Rate = (300, 60)
    # Per address (guests share a venue's NAT): generous, far below mapping an event's faces.
    guest_searches_per_client: Rate = (30, 60)
    # Unknown tokens/codes: 20 per 10 minutes keeps guessing an 8-character code hopeless.
    guest_lookup_failures_per_client: Rate = (20, 600)
    forget_requests_per_client: Rate = (3, 86400)
    forget_verify_seconds: int = 3600
    forget_verify_tries: int = 3
    # One device at one address: this many wrong PINs, then it alone waits the lockout.
    pin_max_failures: int = 5
    pin_lockout_seconds: int = 15 * 60
    pin_failures_per_address: Rate = (20, 3600)
    pin_failures_per_link: Rate = (100, 86400)
    pin_pause_seconds: int = 2
    pin_max_pause_seconds: int = 120


class Camera(Area):
    """Camera upload over FTP/FTPS (camera/, docs/camera-upload.md)."""

    # `manage.py ftp_server` listens here (make run: 127.0.0.1:2121); cameras are told the public
    # host and port ("" = the web request's host; unset port = the listening port).
    ftp_host: str = "127.0.0.1"
    ftp_port: int = 2121
    ftp_public_host: str = ""
    ftp_public_port: int | None = None
    # Passive data ports "FIRST-LAST" ("" = any free port), and the address passive replies name behind NAT.
    ftp_passive_ports: str = ""
    ftp_masquerade_address: str = ""
    # FTPS (explicit AUTH TLS) with this PEM chain and key; plain FTP stays allowed unless required.
    ftp_tls_cert: str = ""
    ftp_tls_key: str = ""
    ftp_require_tls: bool = False
    # Per camera account: sessions at once, bytes/s per upload (0 = unlimited).
    ftp_max_sessions_per_user: int = 4
    ftp_upload_bytes_per_second: int = 0
    # Wrong passwords per account and address before that pair waits the lockout; per address across accounts.
    ftp_max_failures: int = 5
    ftp_lockout_seconds: int = 15 * 60
    ftp_failures_per_client: Rate = (50, 900)
    # An upload cut off mid-file is kept this long for the same account to resume (REST + STOR).
    ftp_resume_seconds: int = 900


class Notify(Area):
    """"Tell me when there are new photos of me" (sharing/notify/, docs/sharing.md "New photos of me")."""

    notify_min_minutes: int = 10  # at most one message per guest per this many minutes
    notify_window_days: int = 30  # none later than this after the opt-in (never past retention)
    notify_send_tries: int = 5  # sending tries before a message ends failed
    notify_sweep_seconds: int = 60  # beat sending held-back and retried messages
    notify_optins_per_client: Rate = (10, 3600)  # opt-ins per link from one address
    # Channels whose URL names the server (json://, form://, xml://, SMSEagle, Signal): private,
    # loopback and link-local hosts refused (SSRF, core.netsafety), as for webhooks.
    notify_channels_allow_private: bool = False


class Api(Area):
    max_json_bytes: int = 1024 * 1024
    max_json_depth: int = 32
    api_token_seconds: int = 30 * 86400
    # Sign-in throttling (core.logins): free failures per account and address, then doubling waits.
    login_free_failures: int = 5
    login_backoff_first_seconds: int = 2
    login_backoff_max_seconds: int = 900
    login_backoff_reset_seconds: int = 86400
    login_failures_per_account: Rate = (10, 900)
    login_known_client_days: int = 30
    login_failures_per_client: Rate = (50, 900)
    # "Forgot password?" (core.password_resets): reset e-mails per address (over it: the same answer, no
    # mail) and requests per client address (over it: "wait and try again").
    password_resets_per_address: Rate = (3, 3600)
    password_resets_per_client: Rate = (10, 3600)


class Logs(Area):
    log_level: str = "INFO"
    log_format: str = "plain"  # or "json" (core.logging.JsonFormatter)


class Processes(Area):
    """How many processes `make run` (scripts/run_local.sh) and gunicorn (docker/gunicorn.conf.py) start."""

    workers: int = os.cpu_count() or 2
    # Selfie searches are CPU-bound: one process per core, a few threads each for the I/O-bound rest.
    web_workers: int = os.cpu_count() or 2
    web_threads: int = 4
    web_timeout: int = 300  # seconds: 300 MB uploads over slow links
    web_max_requests: int = 2000


class Server(Area):
    """gunicorn's own names."""

    model_config = SettingsConfigDict(env_prefix="")
    port: int = 8000
    forwarded_allow_ips: str = "127.0.0.1"


AREAS: tuple[type[Area], ...] = (Paths, Django, Services, ObjectStorage, S3, Uploads, Ingest, Models, Keys,
                                 Webhooks, Sharing, Camera, Notify, Api, Logs, Processes, Server)

TEST_MASTER_KEYS = "test1:" + "dGVzdC1tYXN0ZXIta2V5LXZpc2FnZS0zMi1ieXRlcyE="
# Where an environment's default differs from the field's (by variable name; callables are made per load).
PROFILE_DEFAULTS: dict[str, dict[str, Any]] = {
    "base": {},
    # Webhooks and notify channels to a receiver on this machine or the LAN are how one tries them locally.
    # No debug pages: a small studio runs `make run` as it is, so its users see the product's error pages
    # unless a developer sets DJANGO_DEBUG=true. Mail is printed unless EMAIL_BACKEND says otherwise.
    "local": {"VISAGE_WEBHOOKS_ALLOW_PRIVATE": True, "VISAGE_NOTIFY_CHANNELS_ALLOW_PRIVATE": True,
              "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
    # Fixed test keys (never used outside tests); webhook and channel tests deliver to a server on loopback.
    "test": {"DJANGO_SECRET_KEY": "test-only-secret-key-not-for-any-install", "VISAGE_MASTER_KEYS": TEST_MASTER_KEYS,
             "VISAGE_WEBHOOKS_ALLOW_PRIVATE": True, "VISAGE_NOTIFY_CHANNELS_ALLOW_PRIVATE": True,
             "CELERY_TASK_ALWAYS_EAGER": True, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
             "VISAGE_MEDIA_ROOT": lambda: tempfile.mkdtemp(prefix="visage-test-media-")},
    # Persistent connections (health-checked); webhooks to public https only; JSON log lines.
    # "localhost" is added to the hosts in production.py, for the container's own health probe.
    "production": {"DATABASE_CONN_MAX_AGE": 60, "VISAGE_WEBHOOKS_REQUIRE_HTTPS": True, "VISAGE_LOG_FORMAT": "json",
                   "DJANGO_ALLOWED_HOSTS": [], "DJANGO_SECURE_SSL_REDIRECT": True, "DJANGO_SECURE_HSTS_SECONDS": 31536000},
}


class Surface:
    """Every area, loaded once for one profile (base, local, test, production)."""

    def __init__(self, profile: str = "base"):
        defaults = {name: value() if callable(value) else value for name, value in PROFILE_DEFAULTS[profile].items()}
        self.profile = profile
        for area in AREAS:
            fields = {field: defaults[area.env_name(field)] for field in area.model_fields
                      if area.env_name(field) in defaults}
            try:
                setattr(self, area.__name__.lower(), area(**fields))
            except ValidationError as exc:
                raise ConfigurationError("; ".join(
                    f"{area.env_name(str(error['loc'][0]))}: {error['msg']} (got {error['input']!r})"
                    for error in exc.errors())) from None
        if self.models.torch_threads == Models.model_fields["torch_threads"].default and not _set("VISAGE_TORCH_THREADS") \
                and (_set("OMP_NUM_THREADS") or _set("MKL_NUM_THREADS")):
            self.models = self.models.model_copy(update={"torch_threads": None})

    paths: Paths
    django: Django
    services: Services
    objectstorage: ObjectStorage
    s3: S3
    uploads: Uploads
    ingest: Ingest
    models: Models
    keys: Keys
    webhooks: Webhooks
    sharing: Sharing
    camera: Camera
    notify: Notify
    api: Api
    logs: Logs
    processes: Processes
    server: Server

    @property
    def media_root(self) -> Path:
        return self.paths.media_root or self.paths.var_dir / "media"

    @property
    def database_url(self) -> str:
        return self.services.database_url or f"sqlite:///{self.paths.var_dir / 'visage.sqlite3'}"

    def values(self) -> dict[str, Any]:
        """Every variable's effective value, by its environment name."""
        return {area.env_name(field): getattr(getattr(self, area.__name__.lower()), field)
                for area in AREAS for field in area.model_fields}

    def visage_settings(self) -> dict[str, Any]:
        """The VISAGE_* values, published as Django settings of the same names."""
        return {name: value for name, value in self.values().items() if name.startswith("VISAGE_")}

    def ml_config(self):
        """The face pipeline's configuration for Django-free callers (scripts); Django code uses recognition.conf."""
        from recognition.ml.config import MLConfig

        return MLConfig(embedder=self.models.embedder, facenet_weights=self.models.facenet_weights,
                        torch_threads=self.models.torch_threads, cpu_bf16=self.models.cpu_bf16,
                        max_pixels=self.uploads.max_image_pixels, work_long_side=self.uploads.preview_long_side,
                        decode_limits=(self.uploads.decode_cpu_seconds, self.uploads.decode_budget_bytes))


def variables() -> dict[str, Any]:
    """Every variable the surface reads, with its field default (before any profile)."""
    return {area.env_name(field): info.default for area in AREAS for field, info in area.model_fields.items()}


def _set(name: str) -> bool:
    return bool(os.environ.get(name))


_selected: Surface | None = None


def select(profile: str) -> Surface:
    """Load the surface for one settings module (local.py, test.py, production.py call it before importing base)."""
    global _selected
    _selected = Surface(profile)
    return _selected


def selected() -> Surface:
    """The surface the settings modules publish (base alone: the "base" profile)."""
    return _selected or select("base")


if __name__ == "__main__":
    # `python -m visage.settings.surface [NAME ...]`: the effective values (scripts/run_local.sh reads
    # VISAGE_WORKERS and VISAGE_VAR_DIR this way); no name: every variable with its value.
    shown = Surface("local").values()
    for name in sys.argv[1:] or sorted(shown):
        print(shown[name] if sys.argv[1:] else f"{name}={shown[name]}")
