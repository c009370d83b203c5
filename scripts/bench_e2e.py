"""End to end: upload N photos over the API to a running stack and time them until all are done.

    python scripts/bench_e2e.py --start embedded          # starts `make run`'s stack in a temp dir
    python scripts/bench_e2e.py --start full              # PostgreSQL + Redis + an S3 server (moto)
    python scripts/bench_e2e.py --url http://127.0.0.1:8000 --email demo@visage.local --password visage-demo

Photos are scripts/bench_photos.py's 24 MP composites. Uploads go one file per request from
``--uploaders`` threads (as the web uploader does); the clock runs from the first upload to the
last photo done or failed (event counters polled every 0.5 s). With ``--search`` a guest searches
with a real selfie through a share link every 0.5 s while the photos stream in (p50/p95 of the
whole request). With ``--naive K`` the facenet-pytorch README loop runs afterwards on K of the same
photos, for the ratio in one run. Prints JSON; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.bench_photos import build_photos  # noqa: E402

SELFIE = ROOT.parent / "shared" / "data" / "faces" / "lfw-dev"
DEMO = ("demo@visage.local", "visage-demo")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """`scripts/run_local.sh` (workers + web) on a fresh database and storage; stopped on exit."""

    def __init__(self, kind: str):
        self.kind, self.port, self.var = kind, free_port(), Path(tempfile.mkdtemp(prefix="visage-e2e-"))
        self.processes: list[subprocess.Popen] = []
        self.env = {**os.environ, "VISAGE_VAR_DIR": str(self.var), "DJANGO_SETTINGS_MODULE": "visage.settings.local",
                    "DJANGO_DEBUG": "false", "PORT": str(self.port)}
        for name in ("DATABASE_URL", "REDIS_URL", "VISAGE_STORAGE"):
            self.env.pop(name, None)
        if kind == "full":
            self._full_services()

    def _full_services(self) -> None:
        import boto3
        import psycopg

        s3_port = free_port()
        self._spawn([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)])
        endpoint = f"http://127.0.0.1:{s3_port}"
        _wait(lambda: _ok(endpoint), "the S3 server")
        boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="bench", aws_secret_access_key="bench",
                     region_name="us-east-1").create_bucket(Bucket="visage-bench")
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS visage_bench WITH (FORCE)")
            connection.execute("CREATE DATABASE visage_bench")
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/5").flushdb()  # our own db number, never the others
        self.env.update({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/visage_bench",
                         "REDIS_URL": "redis://127.0.0.1:6379/5", "VISAGE_STORAGE": "s3",
                         "AWS_S3_ENDPOINT_URL": endpoint, "AWS_STORAGE_BUCKET_NAME": "visage-bench",
                         "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"})

    def start(self) -> str:
        python = str(ROOT / ".venv" / "bin" / "python")
        for command in (["migrate", "--noinput", "-v", "0"], ["demo_setup"]):
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)
        self._spawn(["bash", "scripts/run_local.sh"], log=self.var / "stack.log")
        url = f"http://127.0.0.1:{self.port}"
        _wait(lambda: _ok(f"{url}/api/schema/"), "the web server", timeout=300)  # 120 s was too short on a loaded machine
        return url

    def _spawn(self, command: list[str], log: Path | None = None) -> None:
        out = open(log, "wb") if log else subprocess.DEVNULL
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                               start_new_session=True))

    def stop(self) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(60)  # run_local.sh stops its services within its STOP_GRACE_S (20 s)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(self.var, ignore_errors=True)


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def _wait(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.3)


def run(url: str, email: str, password: str, paths: list[Path], uploaders: int, search: bool) -> dict:
    session = requests.Session()
    token = session.post(f"{url}/api/v1/auth/token/", data={"email": email, "password": password}).json()["token"]
    session.headers["Authorization"] = f"Token {token}"
    _warm_up(url, session)
    event_id = session.post(f"{url}/api/v1/events/", data={"name": "Bench e2e"}).json()["id"]
    searcher = _Searcher(url, session, event_id) if search else None
    started = time.perf_counter()

    def upload(path: Path) -> int:
        with path.open("rb") as handle:
            return session.post(f"{url}/api/v1/events/{event_id}/photos/", files={"files": (path.name, handle)}).status_code

    with ThreadPoolExecutor(uploaders) as pool:
        statuses = list(pool.map(upload, paths))
    uploaded = time.perf_counter() - started
    while True:
        counters = session.get(f"{url}/api/v1/events/{event_id}/").json()["counters"]
        if counters["photos_done"] + counters["photos_failed"] >= len(paths):
            break
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    result = {"photos": len(paths), "upload_statuses": {str(s): statuses.count(s) for s in set(statuses)},
              "upload_seconds": round(uploaded, 1), "seconds": round(seconds, 1),
              "photos_per_s": round(len(paths) / seconds, 3), "done": counters["photos_done"],
              "failed": counters["photos_failed"], "faces": counters.get("faces_total", counters.get("faces"))}
    if searcher:
        result["search_during_ingest"] = searcher.stop()
    return result


def _warm_up(url: str, session: requests.Session) -> None:
    """One small photo through the stack first, so worker start-up is not timed."""
    event_id = session.post(f"{url}/api/v1/events/", data={"name": "Warm-up"}).json()["id"]
    photo = ROOT.parent / "shared" / "data" / "faces" / "portraits" / "obama.jpg"
    session.post(f"{url}/api/v1/events/{event_id}/photos/", files={"files": (photo.name, photo.read_bytes())})
    _wait(lambda: session.get(f"{url}/api/v1/events/{event_id}/").json()["counters"]["photos_pending"] == 0,
          "the warm-up photo", timeout=180)


class _Searcher:
    """A guest searching every 0.5 s through a share link while photos arrive."""

    def __init__(self, url: str, session: requests.Session, event_id: int):
        created = session.post(f"{url}/api/v1/events/{event_id}/share-links/", data={"scope": "selfie"}).json()
        self.url, self.token, self.times, self.statuses = url, created["token"], [], []
        self.selfie = sorted(SELFIE.glob("*/*.jpg"))[0].read_bytes()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        guest = requests.Session()
        while not self.stopping.wait(0.5):
            started = time.perf_counter()
            response = guest.post(f"{self.url}/api/v1/guest/{self.token}/search", data={"consent": "true"},
                                  files={"selfie": ("selfie.jpg", self.selfie)})
            self.times.append((time.perf_counter() - started) * 1000)
            self.statuses.append(response.status_code)

    def stop(self) -> dict:
        self.stopping.set()
        self.thread.join()
        ok = sorted(t for t, s in zip(self.times, self.statuses) if s == 200)
        return {"searches": len(self.times), "ok": len(ok), "statuses": {str(s): self.statuses.count(s) for s in set(self.statuses)},
                "p50_ms": round(statistics.median(ok)) if ok else None,
                "p95_ms": round(ok[int(0.95 * (len(ok) - 1))]) if ok else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", choices=["embedded", "full"], help="start this stack (else use --url)")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default=DEMO[0])
    parser.add_argument("--password", default=DEMO[1])
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--uploaders", type=int, default=2)
    parser.add_argument("--search", action="store_true", help="a guest searches during ingest")
    parser.add_argument("--naive", type=int, default=0, help="then time the naive loop on this many photos")
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-photos")
    args = parser.parse_args()
    paths = build_photos(args.photos, args.cache)
    stack = Stack(args.start) if args.start else None
    try:
        url = stack.start() if stack else args.url
        result = {"stack": args.start or args.url, "cpu_count": os.cpu_count(),
                  **run(url, args.email, args.password, paths, args.uploaders, args.search)}
    finally:
        if stack:
            stack.stop()
    if args.naive:
        out = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_ingest.py"), "--part", "naive",
                              *map(str, paths[:args.naive])], capture_output=True, check=True, cwd=ROOT)
        naive = json.loads(out.stdout.decode().strip().splitlines()[-1])
        result["naive_photos_per_s"] = round(naive["photos"] / naive["seconds"], 3)
        result["ratio"] = round(result["photos_per_s"] / result["naive_photos_per_s"], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
