"""A documented setting set in the environment always takes effect (issue 22).

Every variable in the README "Configuration" table and in the docs/*.md tables is set, one at a
time, in the environment of a fresh process (visage.settings.test, django.setup()), and the value
the code actually uses (its typed config, the object built from it, the running config file) must
differ from the value without it. The reverse too: every variable the configuration surface reads
is documented, and nothing reads configuration around the surface (os.environ, getenv, a
getattr(settings, "VISAGE_…", default) with a second default, a VISAGE_ setting the surface lacks).
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from visage.settings.surface import variables

ROOT = Path(__file__).resolve().parent.parent
S3 = {"VISAGE_STORAGE": "s3"}
MASTER_KEY = "probe1:cHJvYmUtbWFzdGVyLWtleS12aXNhZ2UtMzJieXRlcyE="


def conf(module: str, call: str) -> str:
    return f"imp('{module}').{call}"


def storage(attribute: str) -> str:
    return f"getattr(imp('django.core.files.storage').default_storage, '{attribute}')"


def smtp(attribute: str) -> str:
    backend = "'django.core.mail.backends.smtp.EmailBackend'"
    return f"getattr(imp('django.core.mail').get_connection({backend}), '{attribute}')"


def gunicorn(name: str) -> str:
    return f"imp('runpy').run_path('docker/gunicorn.conf.py')['{name}']"


def shell_reader(name: str) -> str:
    """What scripts/run_local.sh (make run) reads: `python -m visage.settings.surface NAME`."""
    return (f"imp('subprocess').run([sys.executable, '-m', 'visage.settings.surface', '{name}'], "
            "capture_output=True, text=True, check=True).stdout.strip()")


UPLOADS, INGEST, ML = "imp('events.conf').uploads()", "imp('events.conf').ingest()", "imp('recognition.conf').ml_config()"
SHARING, API, LOGIN = "imp('sharing.conf')", "imp('core.conf').api()", "imp('core.conf').login()"
WEBHOOKS, CELERY = "imp('webhooks.conf').webhooks()", "imp('visage.celery').app.conf"
PROXIED = "type('Request', (), {'META': {'REMOTE_ADDR': '10.0.0.1', 'HTTP_X_FORWARDED_FOR': '203.0.113.5'}})()"
KEY_STORE = "imp('recognition.services.keys').key_store()"
FTP = "imp('camera.conf').ftp_config()"

# Variable -> (value to set, expressions read through the code that uses it, other variables the
# reading needs). Every expression must change. A new documented variable needs a line here.
PROBES: dict[str, tuple[str, list[str], dict]] = {
    "DJANGO_SETTINGS_MODULE": ("visage.settings.local", ["s.SETTINGS_MODULE"], {"VISAGE_VAR_DIR": "/tmp/visage-probe-var"}),
    "VISAGE_VAR_DIR": ("/tmp/visage-probe-var", ["str(s.DATABASES['default']['NAME'])", shell_reader("VISAGE_VAR_DIR")], {}),
    "VISAGE_MEDIA_ROOT": ("/tmp/visage-probe-media", [storage("location")], {}),
    "DJANGO_SECRET_KEY": ("probe-secret-key-" + "x" * 40, ["s.SECRET_KEY"], {}),
    "DJANGO_DEBUG": ("true", ["s.DEBUG"], {}),
    "DJANGO_ALLOWED_HOSTS": ("photos.example", ["s.ALLOWED_HOSTS"], {}),
    "DJANGO_CSRF_TRUSTED_ORIGINS": ("https://photos.example", ["s.CSRF_TRUSTED_ORIGINS"], {}),
    "DJANGO_SECURE_SSL_REDIRECT": ("true", ["s.SECURE_SSL_REDIRECT"], {}),
    "DJANGO_SECURE_HSTS_SECONDS": ("60", ["s.SECURE_HSTS_SECONDS"], {}),
    "DATABASE_URL": ("postgres://probe@127.0.0.1:5432/probe", ["s.DATABASES['default']['NAME']"], {}),
    "DATABASE_CONN_MAX_AGE": ("30", ["s.DATABASES['default']['CONN_MAX_AGE']"], {}),
    "REDIS_URL": ("redis://127.0.0.1:6379/9", [f"{CELERY}.broker_url"], {}),
    "CELERY_TASK_ALWAYS_EAGER": ("false", [f"{CELERY}.task_always_eager"], {}),
    "EMAIL_BACKEND": ("django.core.mail.backends.smtp.EmailBackend", ["s.EMAIL_BACKEND"], {}),
    "EMAIL_HOST": ("smtp.example", [smtp("host")], {}),
    "EMAIL_PORT": ("2525", [smtp("port")], {}),
    "EMAIL_HOST_USER": ("mailer", [smtp("username")], {}),
    "EMAIL_HOST_PASSWORD": ("mail-secret", [smtp("password")], {}),
    "EMAIL_USE_TLS": ("false", [smtp("use_tls")], {}),
    "DEFAULT_FROM_EMAIL": ("Studio <studio@photos.example>", ["s.DEFAULT_FROM_EMAIL"], {}),
    "VISAGE_STORAGE": ("s3", ["type(imp('core.storage').object_storage()).__name__"], {}),
    "VISAGE_PRESIGNED_URL_SECONDS": ("120", [f"{API}.presigned_url_seconds", storage("querystring_expire")], S3),
    "AWS_STORAGE_BUCKET_NAME": ("probe-bucket", [storage("bucket_name")], S3),
    "AWS_S3_ENDPOINT_URL": ("http://127.0.0.1:9000", [storage("endpoint_url")], S3),
    "AWS_S3_REGION_NAME": ("eu-west-3", [storage("region_name")], S3),
    "AWS_ACCESS_KEY_ID": ("probe-access", [storage("access_key")], S3),
    "AWS_SECRET_ACCESS_KEY": ("probe-secret", [storage("secret_key")], S3),
    "AWS_S3_ADDRESSING_STYLE": ("virtual", [storage("addressing_style")], S3),
    "VISAGE_MAX_UPLOAD_BYTES": ("1000000", [f"{UPLOADS}.max_upload_bytes",
                                            "imp('events.uploads').SizeLimitedUploadHandler().max_bytes()"], {}),
    "VISAGE_MAX_FILES_PER_REQUEST": ("7", [f"{UPLOADS}.max_files_per_request", f"{API}.max_files_per_request",
                                           "s.DATA_UPLOAD_MAX_NUMBER_FILES"], {}),
    "VISAGE_UPLOAD_PARALLEL_REQUESTS": ("1", [f"{UPLOADS}.upload_parallel_requests"], {}),
    "VISAGE_MAX_IMAGE_PIXELS": ("1000000", [f"{UPLOADS}.max_image_pixels", f"{ML}.max_pixels"], {}),
    "VISAGE_DECODE_BUDGET_BYTES": ("100000000", [f"{UPLOADS}.decode_budget_bytes", f"{ML}.decode_limits[1]"], {}),
    "VISAGE_DECODE_CPU_SECONDS": ("5", [f"{UPLOADS}.decode_cpu_seconds", f"{ML}.decode_limits[0]"], {}),
    "VISAGE_PREVIEW_LONG_SIDE": ("1200", [f"{UPLOADS}.preview_long_side", f"{ML}.work_long_side"], {}),
    "VISAGE_THUMBNAIL_LONG_SIDE": ("300", [f"{UPLOADS}.thumbnail_long_side"], {}),
    "VISAGE_INGEST_QUEUE": ("gpu", [f"{INGEST}.ingest_queue", "s.CELERY_TASK_ROUTES['recognition.ingest.run']['queue']"], {}),
    "VISAGE_INGEST_BATCH": ("16", [f"{INGEST}.ingest_batch"], {}),
    "VISAGE_INGEST_LEASE_SECONDS": ("300", [f"{INGEST}.ingest_lease_seconds",
                                            "imp('recognition.ingest.claims').LeaseKeeper().lease_seconds"], {}),
    "VISAGE_INGEST_MAX_ATTEMPTS": ("5", [f"{INGEST}.ingest_max_attempts"], {}),
    "VISAGE_INGEST_TASK_SECONDS": ("600", [f"{INGEST}.ingest_task_seconds",
                                           "imp('recognition.ingest.worker').ingest_run_task.soft_time_limit"], {}),
    "VISAGE_INGEST_MAX_WAKES": ("8", [f"{INGEST}.ingest_max_wakes"], {}),
    "VISAGE_INGEST_LOADERS": ("4", [f"{INGEST}.ingest_loaders"], {}),
    "VISAGE_INGEST_RETRY_FIRST_SECONDS": ("5", [f"{INGEST}.ingest_retry_first_seconds"], {}),
    "VISAGE_INGEST_RETRY_MAX_SECONDS": ("60", [f"{INGEST}.ingest_retry_max_seconds"], {}),
    "VISAGE_INGEST_RETRY_PATIENCE_SECONDS": ("600", [f"{INGEST}.ingest_retry_patience_seconds"], {}),
    "VISAGE_RECONCILE_SECONDS": ("30", [f"{CELERY}.beat_schedule['reconcile']['schedule']"], {}),
    "VISAGE_RECONCILE_PEOPLE_GRACE_SECONDS": ("30", [f"{INGEST}.reconcile_people_grace_seconds"], {}),
    "VISAGE_PRELOAD_MODELS": ("false", ["s.VISAGE_PRELOAD_MODELS"], {}),
    "VISAGE_EMBEDDER": ("sface-fast", [f"{ML}.embedder"], {}),
    "VISAGE_FACENET_WEIGHTS": ("/tmp/vggface2.pt", [f"{ML}.facenet_weights"], {}),
    "VISAGE_TORCH_THREADS": ("2", [f"{ML}.torch_threads"], {}),
    "VISAGE_CPU_BF16": ("false", [f"{ML}.cpu_bf16"], {}),
    "VISAGE_MASTER_KEYS": (MASTER_KEY, ["imp('recognition.services.keys').keyring().current.key_id"], {}),
    "VISAGE_KEY_STORE_DIR": ("/tmp/visage-probe-keys", [f"type({KEY_STORE}).__name__"], {}),
    "VISAGE_WEBHOOKS_ALLOW_PRIVATE": ("false", [f"{WEBHOOKS}.webhooks_allow_private"], {}),
    "VISAGE_WEBHOOKS_REQUIRE_HTTPS": ("true", [f"{WEBHOOKS}.webhooks_require_https"], {}),
    "VISAGE_WEBHOOKS_PER_STUDIO": ("3", [f"{WEBHOOKS}.webhooks_per_studio"], {}),
    "VISAGE_WEBHOOK_LOG_DAYS": ("7", [f"{WEBHOOKS}.webhook_log_days"], {}),
    "VISAGE_WEBHOOK_TIMEOUT_SECONDS": ("2", [f"{WEBHOOKS}.webhook_timeout_seconds"], {}),
    "VISAGE_WEBHOOK_BACKOFF_SECONDS": ("1,2,3", ["imp('webhooks.sending').backoff()"], {}),
    "VISAGE_WEBHOOK_SWEEP_SECONDS": ("10", [f"{CELERY}.beat_schedule['webhooks-due']['schedule']"], {}),
    "VISAGE_PUBLIC_URL": ("https://photos.example/", [f"{SHARING}.public_url()"], {}),
    "VISAGE_TRUSTED_PROXY_HOPS": ("1", [f"imp('core.clients').client_ip({PROXIED})"], {}),
    "VISAGE_ALBUM_LINK_DAYS": ("3", ["imp('recognition.conf').album_link_days()"], {}),
    "VISAGE_SELFIE_MAX_BYTES": ("1000000", [f"{SHARING}.selfie_max_bytes()"], {}),
    "VISAGE_SELFIE_MAX_PIXELS": ("1000000", [f"{SHARING}.selfie_max_pixels()"], {}),
    "VISAGE_SELFIE_DECODE_CPU_MS": ("500", [f"{SHARING}.selfie_decode_cpu_seconds()"], {}),
    "VISAGE_SELFIE_DECODE_BUDGET_BYTES": ("64000000", [f"{SHARING}.selfie_decode_budget_bytes()"], {}),
    "VISAGE_GUEST_SESSION_SECONDS": ("3600", [f"{SHARING}.guest_session_seconds()"], {}),
    "VISAGE_GUEST_SEARCHES_PER_LINK": ("100", [f"{SHARING}.searches_per_link()"], {}),
    "VISAGE_GUEST_SEARCHES_PER_CLIENT": ("40", [f"{SHARING}.searches_per_client()"], {}),
    "VISAGE_GUEST_LOOKUP_FAILURES_PER_CLIENT": ("5/60", [f"{SHARING}.lookup_failures_per_client()"], {}),
    "VISAGE_FORGET_REQUESTS_PER_CLIENT": ("1", [f"{SHARING}.forget_requests_per_client()"], {}),
    "VISAGE_FORGET_VERIFY_SECONDS": ("600", [f"{SHARING}.forget_verify_window()"], {}),
    "VISAGE_FORGET_VERIFY_TRIES": ("5", [f"{SHARING}.forget_verify_window()"], {}),
    "VISAGE_PIN_MAX_FAILURES": ("9", [f"{SHARING}.pin_max_failures()"], {}),
    "VISAGE_PIN_LOCKOUT_SECONDS": ("60", [f"{SHARING}.pin_lockout_seconds()"], {}),
    "VISAGE_PIN_FAILURES_PER_ADDRESS": ("40", [f"{SHARING}.pin_failures_per_address()"], {}),
    "VISAGE_PIN_FAILURES_PER_LINK": ("500", [f"{SHARING}.pin_failures_per_link()"], {}),
    "VISAGE_PIN_PAUSE_SECONDS": ("5", [f"{SHARING}.pin_pause_seconds()[0]"], {}),
    "VISAGE_PIN_MAX_PAUSE_SECONDS": ("30", [f"{SHARING}.pin_pause_seconds()[1]"], {}),
    "VISAGE_FTP_HOST": ("0.0.0.0", [f"{FTP}.host"], {}),
    "VISAGE_FTP_PORT": ("2200", [f"{FTP}.port", shell_reader("VISAGE_FTP_PORT")], {}),
    "VISAGE_FTP_PUBLIC_HOST": ("ftp.photos.example", [f"{FTP}.public_host"], {}),
    "VISAGE_FTP_PUBLIC_PORT": ("21", [f"{FTP}.public_port"], {}),
    "VISAGE_FTP_PASSIVE_PORTS": ("60000-60009", [f"{FTP}.passive_ports"], {}),
    "VISAGE_FTP_MASQUERADE_ADDRESS": ("203.0.113.9", [f"{FTP}.masquerade_address"], {}),
    "VISAGE_FTP_TLS_CERT": ("/tmp/probe-cert.pem", [f"{FTP}.tls_cert", f"{FTP}.tls_mode"], {}),
    "VISAGE_FTP_TLS_KEY": ("/tmp/probe-key.pem", [f"{FTP}.tls_key"], {"VISAGE_FTP_TLS_CERT": "/tmp/probe-cert.pem"}),
    "VISAGE_FTP_REQUIRE_TLS": ("true", [f"{FTP}.require_tls"], {"VISAGE_FTP_TLS_CERT": "/tmp/probe-cert.pem"}),
    "VISAGE_FTP_MAX_SESSIONS_PER_USER": ("2", [f"{FTP}.max_sessions_per_user"], {}),
    "VISAGE_FTP_UPLOAD_BYTES_PER_SECOND": ("1000000", [f"{FTP}.upload_bytes_per_second"], {}),
    "VISAGE_FTP_MAX_FAILURES": ("3", ["imp('camera.conf').login_limits()[0]"], {}),
    "VISAGE_FTP_LOCKOUT_SECONDS": ("60", ["imp('camera.conf').login_limits()[1]"], {}),
    "VISAGE_FTP_FAILURES_PER_CLIENT": ("20/60", ["imp('camera.conf').login_limits()[2]"], {}),
    "VISAGE_FTP_RESUME_SECONDS": ("60", [f"{FTP}.resume_seconds"], {}),
    "VISAGE_NOTIFY_MIN_MINUTES": ("30", [f"{SHARING}.notify_min_interval_seconds()"], {}),
    "VISAGE_NOTIFY_WINDOW_DAYS": ("7", [f"{SHARING}.notify_window_days()"], {}),
    "VISAGE_NOTIFY_SEND_TRIES": ("2", [f"{SHARING}.notify_send_tries()"], {}),
    "VISAGE_NOTIFY_SWEEP_SECONDS": ("20", [f"{CELERY}.beat_schedule['notify-due']['schedule']"], {}),
    "VISAGE_NOTIFY_OPTINS_PER_CLIENT": ("3", [f"{SHARING}.notify_optins_per_client()"], {}),
    "VISAGE_NOTIFY_CHANNELS_ALLOW_PRIVATE": ("false", [f"{SHARING}.notify_channels_allow_private()"], {}),
    "VISAGE_MAX_JSON_BYTES": ("1000", [f"{API}.max_json_bytes"], {}),
    "VISAGE_MAX_JSON_DEPTH": ("8", [f"{API}.max_json_depth"], {}),
    "VISAGE_API_TOKEN_SECONDS": ("3600", [f"{API}.api_token_seconds"], {}),
    "VISAGE_LOGIN_FREE_FAILURES": ("3", [f"{LOGIN}.backoff.free"], {}),
    "VISAGE_LOGIN_BACKOFF_FIRST_SECONDS": ("4", [f"{LOGIN}.backoff.first"], {}),
    "VISAGE_LOGIN_BACKOFF_MAX_SECONDS": ("60", [f"{LOGIN}.backoff.longest"], {}),
    "VISAGE_LOGIN_BACKOFF_RESET_SECONDS": ("3600", [f"{LOGIN}.backoff.memory"], {}),
    "VISAGE_LOGIN_FAILURES_PER_ACCOUNT": ("20", [f"{LOGIN}.per_account"], {}),
    "VISAGE_LOGIN_KNOWN_CLIENT_DAYS": ("7", [f"{LOGIN}.login_known_client_days"], {}),
    "VISAGE_LOGIN_FAILURES_PER_CLIENT": ("20", [f"{LOGIN}.per_client"], {}),
    "VISAGE_PASSWORD_RESETS_PER_ADDRESS": ("2/60", ["imp('core.conf').password_resets().password_resets_per_address"], {}),
    "VISAGE_PASSWORD_RESETS_PER_CLIENT": ("4/60", ["imp('core.conf').password_resets().password_resets_per_client"], {}),
    "VISAGE_LOG_LEVEL": ("DEBUG", ["imp('logging').getLogger().level", gunicorn("loglevel")], {}),
    "VISAGE_LOG_FORMAT": ("json", ["type(imp('logging').getLogger().handlers[0].formatter).__name__"], {}),
    "VISAGE_WORKERS": ("5", [shell_reader("VISAGE_WORKERS")], {}),
    "VISAGE_WEB_WORKERS": ("5", [gunicorn("workers")], {}),
    "VISAGE_WEB_THREADS": ("8", [gunicorn("threads")], {}),
    "VISAGE_WEB_TIMEOUT": ("120", [gunicorn("timeout")], {}),
    "VISAGE_WEB_MAX_REQUESTS": ("500", [gunicorn("max_requests")], {}),
    "PORT": ("8123", [gunicorn("bind"), shell_reader("PORT")], {}),
    "FORWARDED_ALLOW_IPS": ("10.0.0.2", [gunicorn("forwarded_allow_ips")], {}),
}

_NAME = re.compile(r"`([A-Z][A-Z0-9_]*[A-Z0-9])`")


def documented_variables() -> dict[str, set[str]]:
    """Variable -> the files whose tables document it (first column of README "Configuration" and docs/*.md tables)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    sources = {"README.md": section, **{f"docs/{p.name}": p.read_text() for p in sorted((ROOT / "docs").glob("*.md"))}}
    found: dict[str, set[str]] = {}
    for source, text in sources.items():
        for line in text.splitlines():
            cells = line.split("|")
            if line.startswith("|") and len(cells) > 2 and not set(cells[1].strip()) <= set("-: "):
                for name in _NAME.findall(cells[1]):
                    if "_" in name or name in PROBES:
                        found.setdefault(name, set()).add(source)
    return found


def _clean_environment() -> dict[str, str]:
    """This process's environment without any configuration variable (CI sets DATABASE_URL, REDIS_URL)."""
    ours = set(variables()) | set(PROBES) | {"OMP_NUM_THREADS", "MKL_NUM_THREADS"}
    return {key: value for key, value in os.environ.items() if key not in ours}


def _probe(cases: list[dict]) -> list[dict]:
    env = {**_clean_environment(), "DJANGO_SETTINGS_MODULE": "visage.settings.test"}
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "config_probe.py")], input=json.dumps(cases),
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_documented_variable_takes_effect():
    documented = documented_variables()
    missing = sorted(set(documented) - set(PROBES))
    assert not missing, f"documented but never checked (add a probe to PROBES): {missing}"
    names = sorted(documented)
    baselines = {json.dumps(extra, sort_keys=True): extra for _, _, extra in PROBES.values()}
    cases = [{"env": extra, "exprs": PROBES[name][1]} for name in names for extra in [PROBES[name][2]]]
    base_cases = [{"env": extra, "exprs": sorted({e for _, exprs, x in PROBES.values() if x == extra for e in exprs})}
                  for extra in baselines.values()]
    results = _probe([{"env": {**case["env"], name: PROBES[name][0]}, "exprs": case["exprs"]}
                      for name, case in zip(names, cases)] + base_cases)
    by_extra = {}
    for base, answer in zip(base_cases, results[len(names):]):
        assert "error" not in answer, f"without the variables {base['env']}: {answer['error']}"
        by_extra[json.dumps(base["env"], sort_keys=True)] = dict(zip(base["exprs"], answer["values"]))
    ignored = []
    for name, answer in zip(names, results):
        if "error" in answer:
            ignored.append(f"{name}={PROBES[name][0]!r}: {answer['error']}")
            continue
        default = by_extra[json.dumps(PROBES[name][2], sort_keys=True)]
        for expr, value in zip(PROBES[name][1], answer["values"]):
            if value == default[expr]:
                ignored.append(f"{name}={PROBES[name][0]!r}: {expr} stayed {value!r}")
    assert not ignored, "documented variables that change nothing:\n" + "\n".join(ignored)


def test_every_variable_the_surface_reads_is_documented():
    documented = documented_variables()
    undocumented = sorted(set(variables()) - set(documented))
    assert not undocumented, f"read by visage/settings/surface.py but in no documentation table: {undocumented}"
    assert set(variables()) <= set(PROBES)


_CODE_DIRS = ("camera", "core", "events", "recognition", "sharing", "webhooks", "web", "visage", "docker")
# Django needs to know its settings module before it can read anything else.
_SETTINGS_MODULE_DEFAULT = re.compile(r"os\.environ\.setdefault\(\"DJANGO_SETTINGS_MODULE\"")


def _code_files():
    for directory in _CODE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and not relative.startswith("visage/settings/"):
                yield relative, path.read_text()
    yield "manage.py", (ROOT / "manage.py").read_text()


def test_nothing_reads_the_environment_around_the_surface():
    """os.environ / getenv only in visage/settings/surface.py (the settings module's name aside)."""
    readers = []
    for relative, text in _code_files():
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"\bos\.environ\b|\bgetenv\(|\benviron\.get\(", line) and not _SETTINGS_MODULE_DEFAULT.search(line):
                readers.append(f"{relative}:{number}: {line.strip()}")
    settings_modules = sorted((ROOT / "visage" / "settings").glob("*.py"))
    for path in settings_modules:
        if path.name != "surface.py" and re.search(r"\bos\.environ\b|\bgetenv\(", path.read_text()):
            readers.append(f"visage/settings/{path.name}: reads the environment beside surface.py")
    assert not readers, "configuration read around visage/settings/surface.py:\n" + "\n".join(readers)


def test_no_setting_has_a_second_default_or_is_missing_from_the_surface():
    published = set(variables()) | {"VISAGE_PERMISSIONS_POLICY", "VISAGE_REQUIRE_MASTER_KEYS"}
    problems = []
    for relative, text in _code_files():
        for match in re.finditer(r"getattr\(\s*settings\s*,\s*[\"'](VISAGE_\w+)[\"']\s*,", text):
            problems.append(f"{relative}: getattr(settings, {match.group(1)!r}, <a second default>)")
        for name in set(re.findall(r"\bsettings\.(VISAGE_\w+)", text)) - published:
            problems.append(f"{relative}: settings.{name} is not on the configuration surface")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value, message", [("many", "VISAGE_INGEST_BATCH"), ("12/x", "VISAGE_GUEST_SEARCHES_PER_CLIENT")])
def test_a_bad_value_names_its_variable(value, message):
    name = message
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120,
                            env={**_clean_environment(), "DJANGO_SETTINGS_MODULE": "visage.settings.test", name: value})
    assert result.returncode != 0 and f"{name}:" in result.stderr and repr(value) in result.stderr


def test_compose_and_the_images_set_only_variables_the_surface_reads():
    import yaml

    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    names = set(compose["x-visage-env"])
    for service in compose["services"].values():
        if isinstance(service.get("environment"), dict):
            names |= set(service["environment"])
    images = "".join((ROOT / "docker" / name).read_text() for name in ("Dockerfile", "Dockerfile.gpu"))
    names |= set(re.findall(r"\b((?:VISAGE|DJANGO)_[A-Z0-9_]+)=", images))
    ours = {name for name in names if name.startswith(("VISAGE_", "DJANGO_", "AWS_", "DATABASE_", "REDIS_", "EMAIL_"))}
    assert ours - {"DJANGO_SETTINGS_MODULE"} <= set(variables()), sorted(ours - set(variables()))
