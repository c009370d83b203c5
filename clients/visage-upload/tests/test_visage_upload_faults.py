"""Outages: the server killed and restarted mid-batch, the client killed mid-batch and run again.
Either way every photo ends up stored exactly once."""
import hashlib
import json
import shutil
import time
import uuid

import requests
from hotfolder_kit import BBT_PEOPLE, PORTRAITS, ThrottlingProxy, stop, wait_for

BATCH = BBT_PEOPLE + PORTRAITS  # 47 real photos, all different


def _batch(folder):
    for source in BATCH:
        shutil.copyfile(source, folder / f"{source.parent.name}-{source.name}")
    return sorted(hashlib.sha256(source.read_bytes()).hexdigest() for source in BATCH)


def _uploaded(log) -> list[str]:
    return [line.split()[1] for line in log.read_text().splitlines() if line.startswith("uploaded   ")]


def _push_through(visage, client, folder, url: str, outage) -> str:
    """Push the batch to `url`; after three uploads, `outage(log)` breaks something and mends it.
    Returns the client's output once it has finished; asserts every photo is stored exactly once."""
    expected, event = _batch(folder), visage.new_event()
    process, log = client.start("push", str(folder), "--event", str(event), "--url", url,
                                "--api-key", visage.upload_key, "--max-backoff", "2", "--settle", "0.5")
    try:
        wait_for(lambda: len(_uploaded(log)) >= 3 or process.poll() is not None, timeout=90,
                 what=lambda: "three uploads: " + log.read_text(), interval=0.05)
        assert process.poll() is None, "the batch ended before the outage: " + log.read_text()
        outage(log)
        process.wait(180)
    finally:
        stop(process)
    output = log.read_text()
    assert process.returncode == 0, output
    assert sorted(photo["sha256"] for photo in visage.photos(event)) == expected  # none lost, none twice
    return output


def test_server_killed_and_restarted_mid_batch(visage, own_server, client, folder):
    def outage(log):
        own_server.kill()  # SIGKILL: requests in flight die with it
        time.sleep(2)
        own_server.start()  # same port, same database and files

    output = _push_through(visage, client, folder, own_server.url, outage)
    assert "retrying" in output and "cannot reach" in output  # the outage was met, mid-batch


def test_client_killed_mid_batch_then_run_again(visage, client, folder):
    expected, event = _batch(folder), visage.new_event()
    arguments = ("push", str(folder), "--event", str(event), "--url", visage.server.url,
                 "--api-key", visage.upload_key, "--settle", "0.5")
    process, first_log = client.start(*arguments)
    try:
        wait_for(lambda: len(_uploaded(first_log)) >= 5 or process.poll() is not None, timeout=90,
                 what=lambda: "five uploads: " + first_log.read_text(), interval=0.05)
    finally:
        stop(process)  # kill -9, mid-batch
    first = _uploaded(first_log)
    assert 5 <= len(first) < len(BATCH), first_log.read_text()

    code, output = client.run(*arguments, timeout=180)

    assert code == 0, output
    second = [line.split()[1] for line in output.splitlines() if line.startswith("uploaded   ")]
    assert not set(first) & set(second), "a photo sent before the crash was sent again"
    stored = visage.photos(event)
    assert sorted(photo["sha256"] for photo in stored) == expected
    entries = json.loads((folder / ".visage-upload.json").read_text())["targets"][f"{visage.server.url} event {event}"]
    assert sorted(entries) == expected and {entry["status"] for entry in entries.values()} <= {"created", "duplicate"}


def test_a_crash_after_the_server_stored_it_replays_the_first_answer(visage, client, folder):
    """The client died after the server had stored the photo but before it wrote the answer down: the
    rerun sends the same Idempotency-Key, the server replays its first answer, nothing is stored twice."""
    photo, event, key = folder / "IMG_0001.jpg", visage.new_event(), f"visage-upload-{uuid.uuid4()}"
    shutil.copyfile(PORTRAITS[3], photo)
    content = photo.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    (folder / ".visage-upload.json").write_text(json.dumps({"version": 1, "hashes": {}, "targets": {  # as saved before sending
        f"{visage.server.url} event {event}": {sha: {"status": "sending", "path": photo.name, "idempotency_key": key,
                                                     "size": len(content), "at": "2026-12-03T10:00:00+00:00"}}}}))
    first = requests.post(f"{visage.server.url}/api/v1/events/{event}/photos/", files={"files": (photo.name, content)},
                          headers={**visage.key_header, "Idempotency-Key": key, "X-Upload-Source": "hot-folder"},
                          timeout=60)  # the request the client had sent; its answer never reached the state
    assert first.status_code == 201, first.text
    photo_id = first.json()["results"][0]["photo"]["id"]

    code, output = client.run("push", str(folder), "--event", str(event), "--url", visage.server.url,
                              "--api-key", visage.upload_key)

    assert code == 0, output
    assert f"uploaded   IMG_0001.jpg (photo {photo_id})" in output  # the replayed answer ("created"), not a new upload
    assert [p["id"] for p in visage.photos(event)] == [photo_id]


def test_storage_down_mid_batch_is_waited_out(visage, s3_backed_server, client, folder):
    """The server answers 503 storage_unavailable while its object storage is down: the client keeps
    the file, backs off, and sends it once storage is back; every photo stored once."""
    server, s3 = s3_backed_server

    def outage(log):
        s3.stop()
        wait_for(lambda: "storage_unavailable" in log.read_text(), timeout=90,
                 what=lambda: "a 503 from the server: " + log.read_text())
        s3.start()  # same port; the objects stored before are still there

    output = _push_through(visage, client, folder, server.url, outage)
    assert "answered 503" in output


def test_too_many_requests_waits_as_long_as_retry_after_says(visage, client, folder):
    """A gateway answering 429 with Retry-After: the client waits at least that long, then sends the file."""
    for source in PORTRAITS[:2]:
        shutil.copyfile(source, folder / source.name)
    event = visage.new_event()
    proxy = ThrottlingProxy(visage.server.url, throttle=2, retry_after=3)
    try:
        code, output = client.run("push", str(folder), "--event", str(event), "--url", proxy.url,
                                  "--api-key", visage.upload_key, "--settle", "0.5")
    finally:
        proxy.close()
    assert code == 0, output
    assert output.count("answered 429") == 2
    statuses = [status for _, status in proxy.uploads]
    assert statuses == [429, 429, 201, 201], statuses
    moments = [moment for moment, _ in proxy.uploads]
    assert moments[1] - moments[0] >= 3 and moments[2] - moments[1] >= 3  # Retry-After honoured each time
    assert sorted(p["sha256"] for p in visage.photos(event)) == sorted(
        hashlib.sha256(source.read_bytes()).hexdigest() for source in PORTRAITS[:2])
