"""`visage-upload watch` against a live server: photos sent as they appear, and only once they are whole."""
import hashlib
import shutil
import signal
import time
from pathlib import Path

import pytest
from hotfolder_kit import BBT_PEOPLE, DATA, PORTRAITS, stop, wait_for

WATCH_TIMEOUT_S = 90


def _watch(client, visage, folder: Path, event: int, *extra: str):
    process, log = client.start("watch", str(folder), "--event", str(event), "--url", visage.server.url,
                                "--api-key", visage.upload_key, *extra)
    wait_for(lambda: "watching for new photos" in log.read_text() or process.poll() is not None,
             timeout=WATCH_TIMEOUT_S, what="the client to start watching")
    assert process.poll() is None, log.read_text()
    return process, log


def _stored(visage, event: int, count: int, log: Path) -> list[dict]:
    return wait_for(lambda: (photos := visage.photos(event)) and len(photos) >= count and photos,
                    timeout=WATCH_TIMEOUT_S, what=lambda: f"{count} photos; client said:\n{log.read_text()}",
                    interval=0.5)


@pytest.mark.parametrize("how", ["events", "polling"])
def test_photos_added_while_watching_are_sent(visage, client, folder, how):
    """Already there at start; copied in; in a folder created later; written under a temporary name and
    renamed. With file events (inotify here), and with --poll (network shares)."""
    event = visage.new_event()
    shutil.copyfile(PORTRAITS[0], folder / "before.jpg")
    process, log = _watch(client, visage, folder, event, "--settle", "1", *(["--poll"] if how == "polling" else []))
    try:
        _stored(visage, event, 1, log)
        shutil.copyfile(BBT_PEOPLE[0], folder / "tethered-0001.png")
        (folder / "Lightroom export" / "day 2").mkdir(parents=True)
        shutil.copyfile(DATA / "bbt" / "group" / "bbt2.jpg", folder / "Lightroom export" / "day 2" / "bbt2.jpg")
        shutil.copyfile(BBT_PEOPLE[5], folder / "tethered-0002.png.part")
        (folder / "tethered-0002.png.part").rename(folder / "tethered-0002.png")
        stored = _stored(visage, event, 4, log)
        time.sleep(3)  # a second copy would arrive within this
        stop(process, signal.SIGINT)
    finally:
        stop(process)
    sent = [folder / "before.jpg", folder / "tethered-0001.png", folder / "Lightroom export/day 2/bbt2.jpg",
            folder / "tethered-0002.png"]
    assert sorted(p["sha256"] for p in visage.photos(event)) == sorted(
        hashlib.sha256(path.read_bytes()).hexdigest() for path in sent)
    assert len(stored) == 4
    assert process.returncode == 0, log.read_text()
    assert log.read_text().count("uploaded   ") == 4
    assert "4 uploaded" in log.read_text()  # the summary on Ctrl-C


def test_a_photo_still_being_written_is_sent_once_whole(visage, client, folder):
    """A camera's tethering app writes a photo in bursts over ~5 s, pausing up to 0.8 s (less than the
    2 s settle time) between them: it is sent once, after the last byte."""
    event = visage.new_event()
    content = (DATA / "bbt" / "group" / "bbt1.jpg").read_bytes()
    process, log = _watch(client, visage, folder, event)  # the default settle time (2 s)
    try:
        size = len(content) // 6 + 1
        with (folder / "IMG_0001.jpg").open("wb") as out:
            for start in range(0, len(content), size):
                out.write(content[start:start + size])
                out.flush()
                time.sleep(0.8)
        (photo,) = _stored(visage, event, 1, log)
        time.sleep(4)  # time for a second, late upload, if there were one
        stop(process, signal.SIGINT)
    finally:
        stop(process)
    assert len(visage.photos(event)) == 1, log.read_text()
    assert photo["sha256"] == hashlib.sha256(content).hexdigest()
    assert visage.original(photo["id"]) == content
    assert "rejected   " not in log.read_text() and "1 uploaded" in log.read_text()
