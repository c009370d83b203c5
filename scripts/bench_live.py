"""Live delivery: a camera's burst over FTP vs the same burst over the REST API, on a `make run` stack.

    python scripts/bench_live.py --start embedded                 # 100 photos each way (default)
    python scripts/bench_live.py --start embedded --photos 24     # a quick run
    python scripts/bench_live.py --url http://127.0.0.1:8000 --ftp-port 2121   # a stack already running

A simulated camera (one FTP connection, one file after the other, as cameras send) uploads N real
24 MP JPEGs (scripts/bench_photos.py's composites of shared/data faces) into one event; then the same
N photos go one per request over the REST API into another event. The two bursts run one after the
other in the same run, each on an idle stack. Reported per path: time from each upload's completion
(the STOR's 226, the API's 201) to the photo being searchable (state done: faces stored; the photo's
`processed_at`), p50/p95/max; to the e-mail announcing it to a guest in it being accepted by an SMTP
server on loopback (`--guests` people of the burst opted in per event before it, after a selfie search
over HTTP: scripts/bench_live_notices.py), p50/p95/max and each guest's first message; throughput (photos done per second from the first byte sent to the last
photo done); and the peak RSS of the web, worker and FTP processes. Prints JSON; asserts nothing.
"""
from __future__ import annotations

import argparse
import ftplib
import json
import os
import re
import statistics
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.bench_e2e import DEMO, Stack, _wait, free_port  # noqa: E402
from scripts.bench_live_notices import EmailNoticeProbe, percentile, pick_guests  # noqa: E402
from scripts.bench_photos import build_photos  # noqa: E402
from tests.smtp_server import smtp_on_loopback  # noqa: E402


# ---------------------------------------------------------------------------------------------
# EXTENSION POINT: time to the guest's e-mail. A probe opts guests in before the burst (`prepare`)
# and, once the burst is processed, returns the times from each upload's completion to the e-mail
# that announced it being accepted by the SMTP server (`report`). The base reports null.
class GuestNoticeProbe:
    def prepare(self, *, url: str, session: requests.Session, event_id: int) -> None:
        pass

    def report(self, *, completed: dict[int, float]) -> dict | None:
        return None
# ---------------------------------------------------------------------------------------------


def warm_up(url: str, session: requests.Session, workers: int) -> None:
    """Distinct small photos through the stack first, enough for every worker process to load its
    models (bench_e2e's one photo warms one process: the first burst then paid for the other's)."""
    event_id = session.post(f"{url}/api/v1/events/", data={"name": "Warm-up"}).json()["id"]
    photos = sorted((ROOT.parent / "shared" / "data" / "faces" / "lfw-dev").glob("*/*.jpg"))[:4 * workers * 2]
    for start in range(0, len(photos), 4):  # a request per batch: one wake each
        session.post(f"{url}/api/v1/events/{event_id}/photos/",
                     files=[("files", (p.name, p.read_bytes())) for p in photos[start:start + 4]])
    _wait(lambda: session.get(f"{url}/api/v1/events/{event_id}/").json()["counters"]["photos_pending"] == 0,
          "the warm-up photos", timeout=300)


class RssSampler:
    """Peak resident memory of the stack's web, worker and FTP processes, sampled every 0.5 s."""

    ROLES = {"web": "runserver", "notices_worker": "notices@", "worker": "celery", "ftp": "ftp_server"}

    def __init__(self, root_pid: int | None):
        self.root, self.peaks, self.stopping = root_pid, {}, threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        if root_pid:
            self.thread.start()

    def _loop(self) -> None:
        while not self.stopping.wait(0.5):
            totals: dict[str, float] = {}
            for pid in _descendants(self.root):
                role, rss = _role_and_rss(pid, self.ROLES)
                if role:
                    totals[role] = totals.get(role, 0.0) + rss
                    single = f"{role}_largest_process"
                    self.peaks[single] = max(self.peaks.get(single, 0.0), rss)
            for role, total in totals.items():
                self.peaks[role] = max(self.peaks.get(role, 0.0), total)

    def stop(self) -> dict:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()
        return {f"{name}_mb": round(value) for name, value in sorted(self.peaks.items())}


def _descendants(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError):
                continue
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _role_and_rss(pid: int, roles: dict[str, str]) -> tuple[str | None, float]:
    try:
        command = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        status = (Path("/proc") / str(pid) / "status").read_text()
    except OSError:
        return None, 0.0
    role = next((name for name, marker in roles.items() if marker in command), None)
    rss = re.search(r"VmRSS:\s+(\d+) kB", status)
    return role, (int(rss.group(1)) / 1024 if rss else 0.0)


def ftp_burst(host: str, port: int, username: str, password: str, paths: list[Path]) -> tuple[dict[int, float], list[str]]:
    """One camera: one connection, files one after the other. → photo id → time its 226 came."""
    completed, refused = {}, []
    camera = ftplib.FTP(timeout=300)
    camera.connect(host, port)
    camera.login(username, password)
    for path in paths:
        with path.open("rb") as handle:
            try:
                reply = camera.storbinary(f"STOR {path.name}", handle)
            except ftplib.Error as exc:
                refused.append(str(exc))
                continue
        stored = re.search(r"as photo (\d+)", reply)
        if stored:
            completed[int(stored.group(1))] = time.time()
    camera.quit()
    return completed, refused


def api_burst(url: str, session: requests.Session, event_id: int, paths: list[Path]) -> tuple[dict[int, float], list[str]]:
    completed, refused = {}, []
    for path in paths:
        with path.open("rb") as handle:
            response = session.post(f"{url}/api/v1/events/{event_id}/photos/", files={"files": (path.name, handle)})
        result = response.json().get("results", [{}])[0] if response.status_code < 500 else {}
        if result.get("status") == "created":
            completed[result["photo"]["id"]] = time.time()
        else:
            refused.append(f"{response.status_code} {result.get('reason')}")
    return completed, refused


def wait_done(url: str, session: requests.Session, event_id: int, count: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counters = session.get(f"{url}/api/v1/events/{event_id}/").json()["counters"]
        if counters["photos_done"] + counters["photos_failed"] >= count:
            break
        time.sleep(0.5)
    photos, page = [], f"{url}/api/v1/events/{event_id}/photos/"
    while page:
        body = session.get(page).json()
        photos += body["results"]
        page = body["next"]
    return photos


def measure(name: str, burst, url: str, session: requests.Session, event_id: int, paths: list[Path],
            timeout: float, probe: GuestNoticeProbe) -> dict:
    started = time.time()
    completed, refused = burst()
    uploaded = time.time()
    photos = wait_done(url, session, event_id, len(completed), timeout)
    done = {p["id"]: datetime.fromisoformat(p["processed_at"].replace("Z", "+00:00")).timestamp()
            for p in photos if p["state"] == "done" and p["processed_at"]}
    latencies = [done[pid] - at for pid, at in completed.items() if pid in done]
    last = max(done.values(), default=uploaded)
    return {
        "path": name, "photos": len(paths), "stored": len(completed), "refused": refused[:5],
        "done": len(done), "failed": sum(p["state"] == "failed" for p in photos),
        "upload_seconds": round(uploaded - started, 1), "seconds_to_last_done": round(last - started, 1),
        "photos_per_s": round(len(done) / (last - started), 3) if done else None,
        "to_searchable_s": {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95),
                            "max": round(max(latencies), 2) if latencies else None,
                            "mean": round(statistics.fmean(latencies), 2) if latencies else None},
        "to_guest_email_s": probe.report(completed=completed),  # EXTENSION POINT (see GuestNoticeProbe)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", choices=["embedded", "full"], help="start this stack (else use --url)")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--ftp-port", type=int, default=2121, help="with --url: the stack's FTP port")
    parser.add_argument("--email", default=DEMO[0])
    parser.add_argument("--password", default=DEMO[1])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--order", choices=["ftp-first", "api-first"], default="ftp-first",
                        help="which burst runs first (the other follows once the first is processed)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for each burst's photos")
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-photos")
    parser.add_argument("--guests", type=int, default=10, help="guests opted in to new-photo e-mails per event (0: none)")
    parser.add_argument("--notify-min-minutes", type=int, default=0, help=(
        "with --start: VISAGE_NOTIFY_MIN_MINUTES (0: every batch's matches go at once, so the pipeline's own "
        "latency is measured; the product's 10 holds later photos back: a guest's first message is not)"))
    parser.add_argument("--smtp-port", type=int, default=0, help="the SMTP server's loopback port (0: a free one; "
                        "with --url: the port the stack's EMAIL_PORT names, with EMAIL_BACKEND set to SMTP)")
    args = parser.parse_args()
    paths = build_photos(args.photos, args.cache)
    guests = pick_guests(args.guests, args.photos) if args.guests else []
    stack = Stack(args.start) if args.start else None
    ftp_port = args.ftp_port
    with smtp_on_loopback(port=args.smtp_port or None) as mailbox:
        if stack:
            ftp_port = free_port()
            # Guests all search and opt in from 127.0.0.1: the per-address limits would stop the 11th.
            stack.env.update(mailbox.environment(), VISAGE_FTP_PORT=str(ftp_port),
                             VISAGE_NOTIFY_MIN_MINUTES=str(args.notify_min_minutes),
                             VISAGE_NOTIFY_OPTINS_PER_CLIENT="10000/3600", VISAGE_GUEST_SEARCHES_PER_CLIENT="10000/60")
        result = run(args, paths, guests, stack, ftp_port, mailbox)
    print(json.dumps(result, indent=2))


def run(args, paths: list[Path], guests, stack: Stack | None, ftp_port: int, mailbox) -> dict:
    sampler = None
    try:
        url = stack.start() if stack else args.url
        _wait(lambda: ftp_ready(ftp_port), "the FTP server", timeout=60)
        sampler = RssSampler(stack.processes[-1].pid if stack else None)
        session = requests.Session()
        token = session.post(f"{url}/api/v1/auth/token/", data={"email": args.email, "password": args.password}).json()["token"]
        session.headers["Authorization"] = f"Token {token}"
        warm_up(url, session, workers=(int(stack.env.get("VISAGE_WORKERS", os.cpu_count() or 1)) if stack else 2))
        ftp_event = session.post(f"{url}/api/v1/events/", data={"name": "Bench live: camera FTP"}).json()["id"]
        api_event = session.post(f"{url}/api/v1/events/", data={"name": "Bench live: REST API"}).json()["id"]
        account = session.post(f"{url}/api/v1/events/{ftp_event}/camera-upload/rotate/").json()
        bursts = {
            "ftp": (ftp_event, lambda: ftp_burst("127.0.0.1", ftp_port, account["username"], account["password"], paths)),
            "api": (api_event, lambda: api_burst(url, session, api_event, paths)),
        }
        measured = {}
        for name in (["ftp", "api"] if args.order == "ftp-first" else ["api", "ftp"]):
            event_id, burst = bursts[name]
            probe = EmailNoticeProbe(mailbox=mailbox, guests=guests, label=name) if guests else GuestNoticeProbe()
            probe.prepare(url=url, session=session, event_id=event_id)
            measured[name] = measure(name, burst, url, session, event_id, paths, args.timeout, probe)
        ftp, api = measured["ftp"], measured["api"]
        result = {"stack": args.start or url, "cpu_count": os.cpu_count(), "megapixels": 24, "order": args.order,
                  "guests_opted_in_per_event": len(guests), "notify_min_minutes": args.notify_min_minutes if stack else None,
                  "ftp": ftp, "api": api,
                  "ftp_vs_api_throughput": round(ftp["photos_per_s"] / api["photos_per_s"], 3)
                  if ftp["photos_per_s"] and api["photos_per_s"] else None}
    finally:
        rss = sampler.stop() if sampler else {}
        if stack:
            stack.stop()
    result["peak_rss"] = rss
    return result


def ftp_ready(port: int) -> bool:
    probe = ftplib.FTP()
    try:
        probe.connect("127.0.0.1", port, timeout=2)
        return True
    except OSError:
        return False
    finally:
        probe.close()


if __name__ == "__main__":
    main()
