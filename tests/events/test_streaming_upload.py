"""A 200 MB upload through a live HTTP server must not be held in memory."""
import re
import subprocess
import sys

import pytest
import requests
from rest_framework.authtoken.models import Token

from events.models import Photo

MAKE_BIG_JPEG = """
import sys, numpy as np
from PIL import Image
side = 7200  # random noise at quality 100 barely compresses: ~200 MB
rng = np.random.default_rng(0)
Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)).save(sys.argv[1], quality=100, subsampling=0)
"""


def _peak_rss_kib() -> int:
    return int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1))


def _current_rss_kib() -> int:
    return int(re.search(r"VmRSS:\s+(\d+)", open("/proc/self/status").read()).group(1))


class MultipartBody:
    """A file-like multipart body read chunk by chunk from disk, so the client side stays small too."""

    def __init__(self, path, boundary: str):
        self.parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="huge.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode(),
            path,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        self.length = len(self.parts[0]) + path.stat().st_size + len(self.parts[2])
        self._iter = self._chunks()

    def _chunks(self):
        yield self.parts[0]
        with open(self.parts[1], "rb") as fh:
            while chunk := fh.read(1024 * 1024):
                yield chunk
        yield self.parts[2]

    def __iter__(self):
        return self._iter


@pytest.mark.slow
def test_200mb_upload_keeps_memory_bounded(live_server, alice, tmp_path, monkeypatch, settings):
    settings.VISAGE_MAX_UPLOAD_BYTES = 400 * 1024 * 1024
    monkeypatch.setattr("recognition.ingest.worker.ingest_wake", lambda **kwargs: 0)  # measure the upload alone
    big = tmp_path / "huge.jpg"
    subprocess.run([sys.executable, "-c", MAKE_BIG_JPEG, str(big)], check=True)
    size = big.stat().st_size
    assert size > 190 * 1024 * 1024
    event_id = _create_event(live_server.url, alice)
    body = MultipartBody(big, "visageboundary1234")
    open("/proc/self/clear_refs", "w").write("5")  # reset the peak-RSS mark (Linux)
    baseline = _current_rss_kib()
    response = requests.post(
        f"{live_server.url}/api/v1/events/{event_id}/photos/", data=body, timeout=300,
        headers={"Authorization": f"Token {Token.objects.get_or_create(user=alice)[0].key}",
                 "Content-Type": "multipart/form-data; boundary=visageboundary1234", "Content-Length": str(body.length)},
    )
    growth_mib = (_peak_rss_kib() - baseline) / 1024
    print(f"\n200 MB upload: file {size / 2**20:.0f} MiB, peak RSS growth {growth_mib:.1f} MiB")
    assert response.status_code == 201, response.text
    assert Photo.objects.get().size == size
    assert growth_mib < 64, f"upload grew memory by {growth_mib:.0f} MiB"


def _create_event(base_url: str, user) -> int:
    token = Token.objects.get_or_create(user=user)[0].key
    response = requests.post(f"{base_url}/api/v1/events/", json={"name": "Big"}, headers={"Authorization": f"Token {token}"}, timeout=30)
    return response.json()["id"]
