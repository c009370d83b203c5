"""The abuse suite: each case of issue 10 as an attacker would send it. Every test here failed
on the code before the fix (the reason is in its docstring) and passes now.

Helpers only need a small event of generated photos; nothing here needs faces unless a test
asks for the `face_pipeline` fixture.
"""
import os
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from events.services import event_create, photos_upload
from sharing.services.links import CreatedLink, share_link_create
from tests.factories import FACES_DIR, jpeg_bytes

# A 38-byte lossless WebP declaring 13,300 × 13,300 pixels (177 MP) of one colour, made once with
# Pillow: Image.new("RGB", (13300, 13300)).save(f, "WEBP", lossless=True, quality=0, method=0).
# Decoding it costs ~2.7 GB; its dimensions are in the VP8L header.
WEBP_BOMB_177MP = bytes.fromhex(
    "524946461e00000057454250565038" "4c110000002ff3f3fc0c0750da2217b4ff8188e87f0000"
)


@pytest.fixture
def event(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Ana & Ben")
    photos_upload(event=event, user=alice, files=[SimpleUploadedFile("a.jpg", jpeg_bytes())])
    return event


def guest_client(ip: str = "203.0.113.7") -> APIClient:
    return APIClient(REMOTE_ADDR=ip, HTTP_USER_AGENT="pytest-attacker/1.0")


def make_link(event, **attributes) -> CreatedLink:
    return share_link_create(event=event, user=None, base_url="http://testserver", **attributes)


def read_face(relative: str) -> bytes:
    return (FACES_DIR / relative).read_bytes()


def search(client: APIClient, token: str, selfie: bytes | None, *, consent="true", name="selfie.jpg"):
    data = {"consent": consent}
    if selfie is not None:
        data["selfie"] = SimpleUploadedFile(name, selfie)
    return client.post(f"/api/v1/guest/{token}/search", data, format="multipart")


def assert_error(response, status: int, code: str) -> dict:
    """The API's one error shape, and nothing else in the body."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code and body["error"]["message"], body
    return body["error"]


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))


def peak_rss_growth_mib(action) -> tuple[object, float]:
    """Run `action` in this process → (its result, peak resident memory above the start, MiB).

    Resets the kernel's high-water mark first (/proc/self/clear_refs 5), so the peak is this
    action's; where that is not allowed, a thread samples RSS every 2 ms instead.
    """
    before = _rss_kib("VmRSS:")
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return _sampled_peak(action, before)
    result = action()
    return result, (_rss_kib("VmHWM:") - before) / 1024


def _sampled_peak(action, before: int) -> tuple[object, float]:
    peak, done = [before], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss_kib("VmRSS:"))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = action()
    finally:
        done.set()
        sampler.join()
    return result, (peak[0] - before) / 1024


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
