"""A live Visage for the client's tests (the helpers; conftest.py makes fixtures of them): the
embedded default of `make run` (SQLite, filesystem storage, filesystem broker) in a temporary
folder, served by `manage.py runserver` on a free loopback port, and `visage-upload` run as a
real process against it.

The site (database, media, keys) is made once per session; tests that stop or kill a server start
their own on another port, on the same site. Nothing here is mocked: every assertion reads what
the server stored through the public API, with the same upload key the client used.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from tests.faults.conftest import free_port, wait_for

REPO = Path(__file__).resolve().parents[3]
CLIENT_SRC = REPO / "clients" / "visage-upload" / "src"
DATA = REPO.parent / "shared" / "data" / "faces"
BBT_PEOPLE = sorted((DATA / "bbt" / "people").glob("*/*.png"))
PORTRAITS = sorted((DATA / "portraits").glob("*.jpg"))
SERVER_START_S = 90


class Site:
    """The embedded default's var folder: database, media, keys. Setup runs manage.py as `make run` does."""

    def __init__(self, var: Path):
        self.var = var
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("DATABASE_URL", "REDIS_URL", "VISAGE_STORAGE", "VISAGE_MEDIA_ROOT")}
        self.env.update(DJANGO_SETTINGS_MODULE="visage.settings.local", VISAGE_VAR_DIR=str(var), DJANGO_DEBUG="false",
                        PYTHONUNBUFFERED="1")

    def manage(self, *args: str) -> None:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=self.env, capture_output=True,
                              text=True, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr


class Server:
    """`manage.py runserver` (as scripts/run_local.sh starts it) in its own process group: killable, restartable."""

    def __init__(self, site: Site, log: Path, *, env: dict | None = None):
        self.site, self.log, self.port, self.process = site, log, free_port(), None
        self.env = {**site.env, **(env or {})}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"], cwd=REPO,
                env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._healthy, timeout=SERVER_START_S, what=lambda: "the server: " + self.log.read_text()[-2000:])

    def kill(self) -> None:
        """SIGKILL, as a crash or a power cut: no request gets to finish."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(10)
            self.process = None

    def _healthy(self) -> bool:
        assert self.process.poll() is None, "the server exited: " + self.log.read_text()[-3000:]
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False


class Visage:
    """The API as the tests check it: an owner's token to mint keys, an upload key for everything else."""

    def __init__(self, server: Server):
        self.server = server
        token = requests.post(f"{server.url}/api/v1/auth/token/", timeout=30,
                              json={"email": "demo@visage.local", "password": "visage-demo"}).json()["token"]
        self.owner = {"Authorization": f"Token {token}"}
        self.upload_key = self.mint_key("upload")

    def mint_key(self, scope: str) -> str:
        answer = requests.post(f"{self.server.url}/api/v1/studio/api-keys/", headers=self.owner, timeout=30,
                               json={"name": f"hot folder tests {scope} {uuid.uuid4().hex[:6]}", "scope": scope})
        assert answer.status_code == 201, answer.text
        return answer.json()["key"]

    def new_event(self) -> int:
        answer = requests.post(f"{self.server.url}/api/v1/events/", headers=self.key_header, timeout=30,
                               json={"name": f"Party {uuid.uuid4().hex[:6]}"})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    @property
    def key_header(self) -> dict:
        return {"Authorization": f"Api-Key {self.upload_key}"}

    def photos(self, event_id: int) -> list[dict]:
        found, url = [], f"{self.server.url}/api/v1/events/{event_id}/photos/"
        while url:
            page = requests.get(url, headers=self.key_header, timeout=30)
            assert page.status_code == 200, page.text
            found += page.json()["results"]
            url = page.json()["next"]
        return found

    def original(self, photo_id: int) -> bytes:
        answer = requests.get(f"{self.server.url}/api/v1/photos/{photo_id}/original", headers=self.key_header,
                              timeout=60)
        assert answer.status_code == 200, answer.status_code
        return answer.content


class Client:
    """`python -m visage_upload` from this tree's source, as a real process."""

    def __init__(self, tmp: Path):
        self.tmp, self.runs = tmp, 0
        self.env = {**os.environ, "PYTHONPATH": str(CLIENT_SRC), "PYTHONUNBUFFERED": "1"}
        self.env.pop("VISAGE_URL", None)
        self.env.pop("VISAGE_API_KEY", None)

    def start(self, *args: str, env: dict | None = None) -> tuple[subprocess.Popen, Path]:
        self.runs += 1
        out = self.tmp / f"client-{self.runs}.log"
        with out.open("wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "visage_upload", *args], env={**self.env, **(env or {})},
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return process, out

    def run(self, *args: str, timeout: float = 120, env: dict | None = None) -> tuple[int, str]:
        process, out = self.start(*args, env=env)
        try:
            process.wait(timeout)
        finally:
            stop(process)
        return process.returncode, out.read_text()


def stop(process: subprocess.Popen, how: int = signal.SIGKILL) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, how)
        except ProcessLookupError:
            pass
        process.wait(10)


class ThrottlingProxy:
    """A loopback HTTP proxy in front of a live server, as a rate-limiting gateway would be: the first
    `throttle` upload POSTs get `429` with `Retry-After: retry_after` (not forwarded); everything else
    goes through unchanged. Records when each upload POST arrived."""

    def __init__(self, upstream: str, *, throttle: int, retry_after: int):
        self.upstream, self.throttle, self.retry_after = upstream, throttle, retry_after
        self.uploads: list[tuple[float, int]] = []  # (time.monotonic(), status answered)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                self._forward(b"")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path.endswith("/photos/") and proxy.throttle > 0:
                    proxy.throttle -= 1
                    proxy.uploads.append((time.monotonic(), 429))
                    self._answer(429, {"Retry-After": str(proxy.retry_after), "Content-Type": "application/json"},
                                 b'{"error": {"code": "rate_limited", "message": "Slow down.", "details": null}}')
                    return
                self._forward(body)

            def _forward(self, body: bytes):
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(self.command, proxy.upstream + self.path, headers=headers, data=body,
                                          timeout=120, allow_redirects=False)
                if self.path.endswith("/photos/"):
                    proxy.uploads.append((time.monotonic(), answer.status_code))
                self._answer(answer.status_code, {k: v for k, v in answer.headers.items()
                                                  if k.lower() in ("content-type", "retry-after", "location")},
                             answer.content)

            def _answer(self, status: int, headers: dict, body: bytes):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
