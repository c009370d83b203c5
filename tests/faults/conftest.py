"""Fault tests: real worker processes, a Redis server of the test's own, real kills.

They need PostgreSQL (a worker process must see the test's committed rows; SQLite's test
database lives in memory), so they skip on SQLite; CI runs them on PostgreSQL. They never touch
the machine's shared services: each test starts its own redis-server on a free loopback port.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import redis
from botocore.config import Config
from django.conf import settings as django_settings
from kombu import pools
from moto.server import ThreadedMotoServer

from visage.celery import app

REPO = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 6
RECONCILE_SECONDS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what, interval: float = 0.25):
    """Poll until ``predicate()`` is true; ``what`` (text, or a callable for text made at failure,
    e.g. worker logs) says what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}")


@pytest.fixture
def postgres_only():
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if os.environ.get("CI"):
            raise AssertionError("fault tests must run on PostgreSQL in CI")
        pytest.skip("fault tests need PostgreSQL (set DATABASE_URL)")


class RedisServer:
    """A redis-server of the test's own (no persistence), stoppable and restartable on one port."""

    def __init__(self, tmp: Path):
        self.port, self.tmp, self.process = free_port(), tmp, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._ping, timeout=10, what="redis-server to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def _ping(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False


@pytest.fixture
def own_redis(tmp_path):
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class S3Server:
    """An S3 server (moto) of the test's own on one loopback port; it keeps its buckets in this
    process, so a restarted server still holds every object."""

    BUCKET = "visage-faults"

    def __init__(self):
        self.port, self.server = free_port(), None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def worker_env(self) -> dict:
        """What a worker process needs to use this server (production's client defaults)."""
        return {"VISAGE_STORAGE": "s3", "AWS_S3_ENDPOINT_URL": self.endpoint, "AWS_STORAGE_BUCKET_NAME": self.BUCKET,
                "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}


@pytest.fixture
def s3_server(settings):
    """This process stores objects on the test's own S3 server."""
    server = S3Server()
    server.start()
    boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id="k", aws_secret_access_key="s",
                 region_name="us-east-1").create_bucket(Bucket=S3Server.BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3Server.BUCKET, "endpoint_url": server.endpoint, "access_key": "k", "secret_key": "s",
        "region_name": "us-east-1", "addressing_style": "path", "signature_version": "s3v4", "file_overwrite": True,
        # Fail fast in the test; production keeps botocore's default retries.
        "client_config": Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=2, read_timeout=5),
    }}}
    yield server
    server.stop()


@pytest.fixture
def broker(own_redis):
    """This process publishes to the test's own Redis, for real (not eagerly)."""
    keys = ("broker_url", "task_always_eager", "broker_transport_options")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=own_redis.url, task_always_eager=False, broker_transport_options={})
    _reset_connections()
    yield own_redis
    app.conf.update(**previous)
    _reset_connections()


def _reset_connections() -> None:
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Workers:
    """`celery worker` processes (with embedded beat) on the test's database, storage and Redis."""

    def __init__(self, env: dict, tmp: Path):
        self.env, self.tmp, self.processes = env, tmp, []

    def start(self, concurrency: int = 2) -> subprocess.Popen:
        log = open(self.tmp / f"worker-{len(self.processes)}.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "visage", "worker", "-Q", "ingest,gpu,cluster",
             "--pool", "prefork", "--concurrency", str(concurrency), "--prefetch-multiplier", "1",
             "-B", "--schedule", str(self.tmp / f"beat-{len(self.processes)}"), "--loglevel", "INFO",
             "-n", f"fault{len(self.processes)}@%h"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def kill_all(self) -> None:
        """SIGKILL every worker process (master and pool children): no shutdown, no acks."""
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(10)

    def log(self) -> str:
        return "\n".join((path.read_text(errors="replace")[-4000:]) for path in sorted(self.tmp.glob("worker-*.log")))


@pytest.fixture
def workers(postgres_only, transactional_db, broker, settings, tmp_path):
    db = settings.DATABASES["default"]
    database_url = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
                    f"{db['PORT'] or 5432}/{db['NAME']}")
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "visage.settings.local", "DATABASE_URL": database_url,
        "REDIS_URL": broker.url, "VISAGE_STORAGE": "filesystem", "VISAGE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "VISAGE_VAR_DIR": str(tmp_path / "var"), "VISAGE_MASTER_KEYS": settings.VISAGE_MASTER_KEYS,
        "VISAGE_INGEST_LEASE_SECONDS": str(LEASE_SECONDS), "VISAGE_RECONCILE_SECONDS": str(RECONCILE_SECONDS),
        "VISAGE_INGEST_BATCH": "4", "OMP_NUM_THREADS": "1", "DJANGO_DEBUG": "false",
    }
    pool = Workers(env, tmp_path)
    yield pool
    pool.kill_all()
