"""Bounded load test on loopback: guest searches, gallery pages and uploads against a stack this
script starts (gunicorn with docker/gunicorn.conf.py, one Celery worker, the machine's PostgreSQL
and Redis, filesystem storage), with locust (scripts/load/locustfile.py) for --seconds.

    .venv/bin/python scripts/load_test.py --seconds 60 --users 12

Prints JSON: per request type and overall requests/s, p50/p95 and errors, and the resident memory
of the web processes and the worker sampled every 2 s (first, last, max). Not part of the tests.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
FACES = ROOT.parent / "shared" / "data" / "faces"
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "visage_load"  # a scratch database of its own, dropped afterwards
LOGIN = ("load@visage.example", "load-test-password")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")


def start_stack(var: Path, port: int, processes: list[subprocess.Popen]) -> dict:
    """Migrate, create the login, start the worker and gunicorn (appended to `processes` as they start)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "visage.settings.local", "DJANGO_DEBUG": "false",
           "DATABASE_URL": f"{PG}/{DATABASE}", "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7"),
           "VISAGE_VAR_DIR": str(var), "VISAGE_TRUSTED_PROXY_HOPS": "1", "PORT": str(port),
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}
    env.pop("VISAGE_STORAGE", None)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "create_studio", "Load", "--owner", LOGIN[0], "--password", LOGIN[1]],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    log = open(var / "stack.log", "w")
    bin_dir = ROOT / ".venv" / "bin"
    processes.append(subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "visage", "worker", "-Q", "ingest,cluster", "--concurrency", "1",
         "--prefetch-multiplier", "1", "--loglevel", "WARNING"], cwd=ROOT, env=env, stdout=log, stderr=log))
    processes.append(subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", "docker/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "visage.wsgi:application"], cwd=ROOT, env=env, stdout=log, stderr=log))
    return env


def wait_healthy(base: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(f"{base}/health/", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    raise SystemExit("the stack did not become healthy; see its stack.log")


def seed(base: str) -> dict[str, str]:
    """An event with the bbt group photos processed, a selfie link and an event (gallery) link."""
    token = requests.post(f"{base}/api/v1/auth/token/", data={"email": LOGIN[0], "password": LOGIN[1]}).json()["token"]
    api = requests.Session()
    api.headers["Authorization"] = f"Token {token}"
    event = api.post(f"{base}/api/v1/events/", data={"name": "Load test"}).json()
    files = [("files", (path.name, path.read_bytes(), "image/jpeg")) for path in sorted((FACES / "bbt" / "group").glob("*.jpg"))[:8]]
    assert api.post(f"{base}/api/v1/events/{event['id']}/photos/", files=files).status_code in (200, 201)
    for _ in range(600):
        counters = api.get(f"{base}/api/v1/events/{event['id']}/").json()["counters"]
        if counters["photos_pending"] == 0:
            break
        time.sleep(1)
    links = {scope: api.post(f"{base}/api/v1/events/{event['id']}/share-links/", json={"scope": scope}).json()["token"]
             for scope in ("selfie", "event")}
    selfie = next((FACES / "bbt").rglob("*.png"), None) or next((FACES / "lfw-dev").rglob("*.jpg"))
    return {"LOAD_API_TOKEN": token, "LOAD_EVENT_ID": str(event["id"]), "LOAD_SEARCH_LINK": links["selfie"],
            "LOAD_GALLERY_LINK": links["event"], "LOAD_SELFIE": str(selfie), "seed_counters": json.dumps(counters)}


class MemorySampler(threading.Thread):
    """Resident memory (MiB) of each process tree every `every` seconds."""

    def __init__(self, roots: dict[str, int], every: float = 2.0):
        super().__init__(daemon=True)
        self.roots, self.every, self.samples = roots, every, {name: [] for name in roots}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            for name, pid in self.roots.items():
                try:
                    root = psutil.Process(pid)
                    tree = [root, *root.children(recursive=True)]
                    self.samples[name].append(sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
                except psutil.Error:
                    pass

    def summary(self) -> dict:
        return {name: {"first_mib": round(values[0]), "last_mib": round(values[-1]), "max_mib": round(max(values)),
                       "samples": len(values)} for name, values in self.samples.items() if values}


def run_locust(base: str, env: dict, var: Path, seconds: int, users: int) -> dict:
    prefix = var / "locust"
    subprocess.run([str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "scripts" / "load" / "locustfile.py"),
                    "--headless", "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
                    "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                   cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    failures = [f"{row['Name']}: {row['Error']} x{row['Occurrences']}" for row in csv.DictReader(open(f"{prefix}_failures.csv"))]
    return {"failures": failures} | {row["Name"]: {"requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                          "rps": round(float(row["Requests/s"]), 1), "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"])}
            for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=12)
    args = parser.parse_args()
    var, port = Path(tempfile.mkdtemp(prefix="visage-load-")), free_port()
    base = f"http://127.0.0.1:{port}"
    recreate_database()
    processes: list[subprocess.Popen] = []
    try:
        env = start_stack(var, port, processes)
        wait_healthy(base)
        seeded = seed(base)
        sampler = MemorySampler({"worker": processes[0].pid, "web": processes[1].pid})
        sampler.start()
        stats = run_locust(base, {**env, **seeded}, var, args.seconds, args.users)
        sampler.stopped.set()
        print(json.dumps({"seconds": args.seconds, "users": args.users, "cores": os.cpu_count(),
                          "seeded": json.loads(seeded["seed_counters"]), "requests": stats,
                          "memory": sampler.summary()}, indent=2))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        subprocess.run([sys.executable, "-c", f"import psycopg; c = psycopg.connect('{PG}/postgres', autocommit=True); "
                        f"c.execute('DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)')"], check=False)


if __name__ == "__main__":
    main()
