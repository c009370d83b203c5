"""`make run`'s script serves the web app and the camera FTP server, and stops everything it started,
whichever way it is stopped.

Before: SIGTERM to its process group (what service managers and scripts send) left the Celery master
hanging for ever after "beat: Shutting down…" (~380 MB held); SIGTERM to the script alone waited for
the web server to end by itself; SIGHUP left both services running.
"""
import ftplib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STOPPED_WITHIN_S = 60  # the script's grace is 20 s; Celery's warm shutdown takes a few


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes() -> dict[int, tuple[int, int, int, str]]:
    """pid → (parent, process group, session, state) for every process on the machine."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (command) "
        table[int(entry.name)] = (int(fields[1]), int(fields[2]), int(fields[3]), fields[0])
    return table


def _descendants(root: int) -> set[int]:
    table, found, frontier = _processes(), set(), {root}
    while frontier:
        frontier = {pid for pid, (parent, *_rest) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int], groups: set[int], sessions: set[int]) -> set[int]:
    """Processes, not zombies, that are one of `pids` or in one of the groups or sessions."""
    return {pid for pid, (_, group, session, state) in _processes().items()
            if state != "Z" and (pid in pids or group in groups or session in sessions)}


def _ready(url: str, log: Path) -> bool:
    if b" ready." not in log.read_bytes():  # Celery's "celery@host ready."
        return False
    try:
        return urllib.request.urlopen(f"{url}/healthz", timeout=2).status == 200
    except OSError:
        return False


def _product_pages(url: str) -> None:
    """A missing page is the product's 404 (not Django's yellow debug page), and the styles it links to are served."""
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{url}/no-such-page/", timeout=10)
    page = missing.value.read().decode()
    assert missing.value.code == 404 and "We can't find that page" in page and "Using the URLconf" not in page
    assert urllib.request.urlopen(f"{url}/static/visage/css/pages.css", timeout=10).status == 200


def _ftp_banner(port: int) -> str:
    """The camera FTP server's greeting, waiting up to 60 s for it to bind: it starts beside the web
    server and Celery, and on a loaded machine can be the last of them to listen."""
    deadline = time.monotonic() + 60
    while True:
        ftp = ftplib.FTP()
        try:
            return ftp.connect("127.0.0.1", port, timeout=5)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
        finally:
            ftp.close()


def _stop(process: subprocess.Popen, how: str) -> None:
    target, number = how.split()
    sender = os.killpg if target == "group" else os.kill
    sender(process.pid, getattr(signal, number))


@pytest.mark.parametrize("how", ["group SIGINT", "group SIGTERM", "script SIGTERM", "group SIGHUP"])
def test_every_way_of_stopping_ends_every_process(tmp_path, how):
    port, ftp_port, log = _free_port(), _free_port(), tmp_path / "run.log"
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DATABASE_URL", "REDIS_URL", "VISAGE_STORAGE", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG")}
    environment.update(PORT=str(port), VISAGE_FTP_PORT=str(ftp_port), VISAGE_VAR_DIR=str(tmp_path / "var"), VISAGE_WORKERS="1",
                       VENV=str(Path(sys.executable).parent.parent))  # make run's own DEBUG default: off
    with log.open("wb") as out:  # its own session and group, as a service manager starts it
        process = subprocess.Popen(["bash", "scripts/run_local.sh"], cwd=ROOT, env=environment, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    started = set()
    try:
        deadline = time.monotonic() + 180
        while not _ready(f"http://127.0.0.1:{port}", log):
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "not serving after 180 s: " + log.read_text()[-3000:]
            time.sleep(0.5)
        assert _ftp_banner(ftp_port) == "220 Visage camera upload ready."  # the camera FTP server, on loopback
        if how == "group SIGINT":  # once: what a user of `make run` sees is the product, never a debug page
            _product_pages(f"http://127.0.0.1:{port}")
        started = _descendants(process.pid)
        sessions = {_processes()[pid][2] for pid in started if pid in _processes()}
        assert len(started) >= 4, started  # the web server, the FTP server, the Celery master, its pool and beat
        _stop(process, how)
        deadline = time.monotonic() + STOPPED_WITHIN_S
        while _alive(started | {process.pid}, {process.pid}, sessions - {os.getsid(0)}):
            assert time.monotonic() < deadline, f"still running {STOPPED_WITHIN_S} s after {how}: " + str(
                _alive(started | {process.pid}, {process.pid}, sessions - {os.getsid(0)})) + log.read_text()[-2000:]
            time.sleep(0.5)
        assert process.wait(5) is not None
    finally:
        for pid in _alive(started | {process.pid}, set(), set()):
            os.kill(pid, signal.SIGKILL)  # only a failed case leaves any
        process.wait(10)
