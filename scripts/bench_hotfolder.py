"""The hot-folder client against the plain API, on the same server and photos, in one run.

    python scripts/bench_hotfolder.py --count 20                 # starts its own web server (embedded default)
    python scripts/bench_hotfolder.py --count 20 --url http://127.0.0.1:8000 --email demo@visage.local --password visage-demo

Photos are scripts/bench_photos.py's 24 MP JPEGs. Three runs, each into a new event:
  api    one POST per file from a plain `requests` loop (what any script would do): the baseline;
  push   `visage-upload push DIR` (hashing, state file, streaming, progress bar off);
  watch  `visage-upload watch DIR` while a simulated camera drops one photo every `--interval` s:
         latency from a photo's last byte on disk to the server listing it (p50/p95; the default
         2 s settle time is in it).
Without --url the server is `manage.py runserver` alone (no workers: uploads only are measured).
Prints JSON; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.bench_e2e import DEMO, free_port  # noqa: E402
from scripts.bench_photos import build_photos  # noqa: E402

CLIENT = [sys.executable, "-m", "visage_upload"]
CLIENT_ENV = {**os.environ, "PYTHONPATH": str(ROOT / "clients" / "visage-upload" / "src")}


def own_server(var: Path) -> tuple[str, subprocess.Popen]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "VISAGE_STORAGE")}
    env.update(DJANGO_SETTINGS_MODULE="visage.settings.local", VISAGE_VAR_DIR=str(var), DJANGO_DEBUG="false")
    for command in (["migrate", "--noinput"], ["demo_setup"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return url, process
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def upload_key(url: str, email: str, password: str) -> str:
    token = requests.post(f"{url}/api/v1/auth/token/", json={"email": email, "password": password}, timeout=30)
    answer = requests.post(f"{url}/api/v1/studio/api-keys/", json={"name": "bench hot folder", "scope": "upload"},
                           headers={"Authorization": f"Token {token.json()['token']}"}, timeout=30)
    return answer.json()["key"]


def new_event(url: str, headers: dict) -> int:
    return requests.post(f"{url}/api/v1/events/", json={"name": "bench hot folder"}, headers=headers, timeout=30).json()["id"]


def stored(url: str, headers: dict, event: int) -> set[str]:
    names, page = set(), f"{url}/api/v1/events/{event}/photos/"
    while page:
        body = requests.get(page, headers=headers, timeout=30).json()
        names |= {photo["original_filename"] for photo in body["results"]}
        page = body["next"]
    return names


def api_run(url: str, headers: dict, photos: list[Path]) -> float:
    event, started = new_event(url, headers), time.perf_counter()
    with requests.Session() as session:
        for path in photos:
            with path.open("rb") as handle:
                answer = session.post(f"{url}/api/v1/events/{event}/photos/", headers=headers,
                                      files={"files": (path.name, handle)}, timeout=600)
            assert answer.status_code == 201, answer.text[:300]
    return time.perf_counter() - started


def push_run(url: str, key: str, headers: dict, photos: list[Path], work: Path) -> float:
    folder, event = work / "push", new_event(url, headers)
    folder.mkdir()
    for path in photos:
        shutil.copyfile(path, folder / path.name)
    past = time.time() - 3600  # copied long ago, as a folder to push is: no settle wait in the figure
    for path in folder.iterdir():
        os.utime(path, (past, past))
    started = time.perf_counter()
    subprocess.run([*CLIENT, "push", str(folder), "--event", str(event), "--url", url, "--api-key", key,
                    "--no-progress"], env=CLIENT_ENV, check=True, capture_output=True, timeout=3600)
    return time.perf_counter() - started


def watch_run(url: str, key: str, headers: dict, photos: list[Path], work: Path, interval: float) -> list[float]:
    folder, event = work / "watch", new_event(url, headers)
    folder.mkdir()
    client = subprocess.Popen([*CLIENT, "watch", str(folder), "--event", str(event), "--url", url, "--api-key", key,
                               "--no-progress"], env=CLIENT_ENV, stdout=subprocess.DEVNULL, start_new_session=True)
    written: dict[str, float] = {}
    latencies: dict[str, float] = {}

    def poll(seconds: float) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until and len(latencies) < len(photos):
            for name in stored(url, headers, event) - latencies.keys():
                latencies[name] = time.perf_counter() - written[name]
            time.sleep(0.2)

    try:
        time.sleep(3)  # the client is up and watching
        for path in photos:
            shutil.copyfile(path, folder / path.name)  # the camera's photo, its last byte now
            written[path.name] = time.perf_counter()
            poll(interval)
        poll(300)
    finally:
        os.killpg(client.pid, signal.SIGINT)
        client.wait(30)
    return list(latencies.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between two photos of the camera")
    parser.add_argument("--url")
    parser.add_argument("--email", default=DEMO[0])
    parser.add_argument("--password", default=DEMO[1])
    args = parser.parse_args()
    photos = build_photos(args.count, ROOT / "var" / "bench-photos")[:args.count]
    megabytes = sum(path.stat().st_size for path in photos) / 1e6
    work = Path(tempfile.mkdtemp(prefix="visage-hotfolder-"))
    server = None
    try:
        url = args.url
        if url is None:
            url, server = own_server(work / "var")
        key = upload_key(url, args.email, args.password)
        headers = {"Authorization": f"Api-Key {key}"}
        api_s = api_run(url, headers, photos)
        push_s = push_run(url, key, headers, photos, work)
        latencies = sorted(watch_run(url, key, headers, photos, work, args.interval))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({
        "photos": len(photos), "megabytes": round(megabytes, 1),
        "api_seconds": round(api_s, 2), "api_mb_per_s": round(megabytes / api_s, 1),
        "push_seconds": round(push_s, 2), "push_mb_per_s": round(megabytes / push_s, 1),
        "push_vs_api": round(push_s / api_s, 2),
        "watch_latency_p50_s": round(statistics.median(latencies), 2),
        "watch_latency_p95_s": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 2),
    }, indent=2))


if __name__ == "__main__":
    main()
