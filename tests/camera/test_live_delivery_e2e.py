"""Issue 17's "done when", end to end on real parts on loopback: `make run`'s stack (scripts/run_local.sh:
web server, Celery worker with beat, camera FTP server) on the embedded default in a temporary folder,
sending e-mail through Django's SMTP backend to an aiosmtpd server in this process.

Setup goes through the API as a studio and two guests would (a selfie search over HTTP with a bbt
still, then the opt-in). Then nobody touches the web app: a camera sends one photo with plain
`ftplib`, and `visage-upload watch` (a real process, an upload-scoped API key) picks up another
dropped into its folder. Both must be stored and processed, the guest in them must get mail listing
them whose link, opened on a fresh client, restores their gallery (and only theirs), and the other
opted-in guest, in neither photo, must get nothing.
"""
import ftplib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from scripts.bench_e2e import DEMO, Stack
from scripts.bench_live import ftp_ready
from tests.factories import FACES_DIR
from tests.faults.conftest import wait_for
from tests.smtp_server import Mailbox, free_port, smtp_on_loopback

CLIENT_SRC = Path(__file__).resolve().parents[2] / "clients" / "visage-upload" / "src"
AMY, SHELDON = "amy@guest.example", "sheldon@guest.example"
PEOPLE = FACES_DIR / "bbt" / "people"
PROCESSED_WITHIN_S = 240  # models load in the worker on the first photos; 2 shared cores


@pytest.fixture
def mailbox():
    with smtp_on_loopback() as box:
        yield box


@pytest.fixture
def stack(mailbox, tmp_path):
    """`make run` on a fresh embedded site, mailing through the SMTP server; → (web URL, FTP port, log path)."""
    live = Stack("embedded")
    ftp_port = free_port()
    live.env.update(mailbox.environment())
    live.env.update(VISAGE_FTP_PORT=str(ftp_port), VISAGE_WORKERS="1", VISAGE_NOTIFY_MIN_MINUTES="0",
                    VISAGE_NOTIFY_SWEEP_SECONDS="5", STOP_GRACE_S="10")
    log = live.var / "stack.log"
    try:
        url = live.start()
        wait_for(lambda: ftp_ready(ftp_port), timeout=60, what="the camera FTP server")
        yield url, ftp_port, log
    finally:
        if log.exists():
            shutil.copyfile(log, tmp_path / "stack.log")  # Stack.stop deletes its folder; pytest keeps tmp_path
        live.stop()


class Studio:
    """The studio's side of the setup, over the API with the demo owner's token."""

    def __init__(self, url: str):
        self.url, self.http = url, requests.Session()
        token = self.http.post(f"{url}/api/v1/auth/token/", data={"email": DEMO[0], "password": DEMO[1]},
                               timeout=30).json()["token"]
        self.http.headers["Authorization"] = f"Token {token}"

    def post(self, path: str, **kwargs) -> dict:
        answer = self.http.post(f"{self.url}/api/v1/{path}", timeout=120, **kwargs)
        assert answer.status_code in (200, 201), (path, answer.status_code, answer.text[:500])
        return answer.json()

    def photos(self, event_id: int) -> list[dict]:
        found, page = [], f"{self.url}/api/v1/events/{event_id}/photos/"
        while page:
            body = self.http.get(page, timeout=30).json()
            found, page = found + body["results"], body["next"]
        return found

    def wait_processed(self, event_id: int, count: int, log) -> dict[str, dict]:
        """Until `count` photos are done (none failed) → {original file name: photo}."""
        def finished():
            photos = self.photos(event_id)
            assert not [p for p in photos if p["state"] == "failed"], photos
            return photos if len(photos) >= count and all(p["state"] == "done" for p in photos) else None
        photos = wait_for(finished, timeout=PROCESSED_WITHIN_S, interval=1,
                          what=lambda: f"{count} photos processed: {self.photos(event_id)}\n{_tail(log)}")
        return {p["original_filename"]: p for p in photos}


def _opt_in(url: str, token: str, selfie: str, address: str) -> set[int]:
    """A guest's phone: a selfie search, then "tell me when there are new photos of me" → photo ids found."""
    phone = requests.Session()
    found = phone.post(f"{url}/api/v1/guest/{token}/search", data={"consent": "true"}, timeout=120,
                       files={"selfie": (f"{selfie}.png", (PEOPLE / selfie.rstrip("0123456789") / f"{selfie}.png").read_bytes())})
    assert found.status_code == 200, found.text[:500]
    assert found.json()["notify_token"], "the event offers no opt-in"
    answer = phone.post(f"{url}/api/v1/guest/{token}/notify", timeout=30, json={
        "consent": True, "medium": "email", "address": address, "notify_token": found.json()["notify_token"]})
    assert answer.status_code == 201 and answer.json()["subscribed"] is True, answer.text[:500]
    return {photo["photo_id"] for photo in found.json()["matches"]}


def _listed(mailbox: Mailbox, address: str) -> set[int]:
    """Every photo id listed (one link per new photo) in the messages to `address`."""
    return {int(i) for m in mailbox.to(address) for i in re.findall(r"\?photo=(\d+)", Mailbox.body(m))}


def test_photos_from_a_camera_and_a_hot_folder_reach_the_guest_in_them_by_email(stack, mailbox, tmp_path):
    url, ftp_port, log = stack
    studio = Studio(url)
    event_id = studio.post("events/", data={"name": "Ana & Ben, live"})["id"]
    camera = studio.post(f"events/{event_id}/camera-upload/rotate/")
    assert camera["enabled"] is True and camera["password"]
    upload_key = studio.post("studio/api-keys/", json={"name": "laptop hot folder", "scope": "upload"})["key"]
    link_token = studio.post(f"events/{event_id}/share-links/", data={"scope": "selfie"})["token"]
    for name in ("amy1", "sheldon1"):  # what the guests find when they search
        studio.post(f"events/{event_id}/photos/", files={"files": (f"{name}.png", _still(name))})
    before = studio.wait_processed(event_id, 2, log)
    assert _opt_in(url, link_token, "amy2", AMY) == {before["amy1.png"]["id"]}
    assert _opt_in(url, link_token, "sheldon2", SHELDON) == {before["sheldon1.png"]["id"]}
    # Opting in sends each guest one confirmation (with the unsubscribe link), and nothing else.
    assert mailbox.wait(lambda box: len(box.messages) >= 2, timeout=90), _tail(log)
    assert sorted(m["To"] for m in mailbox.messages) == sorted([AMY, SHELDON])
    assert all(m["Subject"].startswith("You'll be told about new photos of you") for m in mailbox.messages)
    confirmations = len(mailbox.messages)

    # From here on, nobody touches the web app.
    ftp = ftplib.FTP(timeout=60)
    ftp.connect("127.0.0.1", ftp_port)
    ftp.login(camera["username"], camera["password"])
    reply = ftp.storbinary("STOR DSC_0001.png", _open_still(tmp_path, "amy3"))
    ftp.quit()
    assert reply.startswith("226"), reply
    hot_folder = tmp_path / "hot folder"
    hot_folder.mkdir()
    watcher, watcher_log = _watch(hot_folder, url, upload_key, event_id, tmp_path)
    try:
        shutil.copyfile(PEOPLE / "amy" / "amy4.png", hot_folder / "IMG_0002.png")
        photos = studio.wait_processed(event_id, 4, log)
    finally:
        _stop(watcher)
    from_camera, from_folder = photos["DSC_0001.png"], photos["IMG_0002.png"]
    assert (from_camera["source"], from_folder["source"]) == ("ftp", "hot_folder"), watcher_log.read_text()
    assert from_camera["sha256"] == hashlib.sha256(_still("amy3")).hexdigest()
    assert from_folder["sha256"] == hashlib.sha256(_still("amy4")).hexdigest()
    assert len(photos) == 4  # each stored once

    new = {from_camera["id"], from_folder["id"]}
    arrived = mailbox.wait(lambda box: _listed(box, AMY) >= new, timeout=90)
    assert arrived, f"mail to {AMY}: {[Mailbox.body(m) for m in mailbox.to(AMY)]}\n{_tail(log)}"
    time.sleep(6)  # a beat sweep (VISAGE_NOTIFY_SWEEP_SECONDS=5): a late message to anyone would come within it
    assert _listed(mailbox, AMY) == new  # not amy1 (she had it), never Sheldon's
    news = mailbox.messages[confirmations:]
    assert news and {m["To"] for m in news} == {AMY}  # Sheldon is in neither photo: no message
    last = Mailbox.body(news[-1])
    back = re.search(r"(http://127\.0\.0\.1:\d+/s/\S+/back/[^\s?]+)\s", last).group(1)
    fresh_phone = requests.Session()  # no cookie, no selfie
    gallery = fresh_phone.get(back, timeout=60)
    assert gallery.status_code == 200 and gallery.url.endswith("/photos"), (gallery.status_code, gallery.url)
    shown = {int(i) for i in re.findall(r'id="photo-(\d+)"', gallery.text)}
    assert shown == {before["amy1.png"]["id"]} | new
    assert before["sheldon1.png"]["id"] not in shown


def _still(name: str) -> bytes:
    return (PEOPLE / name.rstrip("0123456789") / f"{name}.png").read_bytes()


def _open_still(tmp_path, name: str):
    copy = tmp_path / f"{name}.png"
    copy.write_bytes(_still(name))
    return copy.open("rb")


def _watch(folder, url: str, key: str, event_id: int, tmp_path):
    """`visage-upload watch` from this tree's source, as a real process."""
    out = tmp_path / "watch.log"
    env = {k: v for k, v in os.environ.items() if k not in ("VISAGE_URL", "VISAGE_API_KEY")}
    with out.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "visage_upload", "watch", str(folder), "--event", str(event_id), "--url", url,
             "--api-key", key, "--settle", "1"], env={**env, "PYTHONPATH": str(CLIENT_SRC), "PYTHONUNBUFFERED": "1"},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return process, out


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _tail(log) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no stack log)"
