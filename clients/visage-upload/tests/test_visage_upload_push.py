"""`visage-upload push` against a live server: what is sent, what is refused and why, what is never sent twice."""
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import requests
from hotfolder_kit import BBT_PEOPLE, DATA, PORTRAITS

NOT_A_PHOTO = b"shopping list: film, batteries\n"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _nested_folder(folder: Path) -> dict[str, Path]:
    """A Lightroom-style export: nested folders, a copy of one photo, a text file named .jpg, things to skip."""
    photos = {"obama.jpg": PORTRAITS[0], "2026-12-03/ceremony/amy1.png": BBT_PEOPLE[0],
              "2026-12-03/bbt1.jpg": DATA / "bbt" / "group" / "bbt1.jpg"}
    for relpath, source in photos.items():
        (folder / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / relpath)
    shutil.copyfile(PORTRAITS[0], folder / "2026-12-03" / "obama copy.jpg")  # same bytes, another name
    (folder / "notes.jpg").write_bytes(NOT_A_PHOTO)
    (folder / "notes.txt").write_bytes(NOT_A_PHOTO)  # not a photo's name: never sent
    (folder / ".hidden.jpg").write_bytes(PORTRAITS[1].read_bytes())  # hidden: never sent
    return {relpath: folder / relpath for relpath in photos}


def _server_reason(visage, content: bytes, name: str) -> str:
    """What the server itself says about these bytes (sent by hand to a scratch event)."""
    event = visage.new_event()
    answer = requests.post(f"{visage.server.url}/api/v1/events/{event}/photos/", headers=visage.key_header,
                           files={"files": (name, content)}, timeout=60)
    assert answer.status_code == 400, answer.text
    reason = answer.json()["results"][0]["reason"]
    return reason.removeprefix(f"{name}: ")


def test_push_sends_each_photo_once_byte_for_byte_and_reports_refusals(visage, client, folder):
    event = visage.new_event()
    photos = _nested_folder(folder)
    environment = {"VISAGE_URL": visage.server.url, "VISAGE_API_KEY": visage.upload_key}

    code, output = client.run("push", str(folder), "--event", str(event), env=environment)

    assert code == 1, output  # something was refused
    assert f"rejected   notes.jpg: {_server_reason(visage, NOT_A_PHOTO, 'notes.jpg')}" in output
    stored = visage.photos(event)
    assert sorted(photo["sha256"] for photo in stored) == sorted(_sha(path) for path in photos.values())
    assert {photo["source"] for photo in stored} == {"hot_folder"}
    for photo in stored:
        original = next(path for path in photos.values() if _sha(path) == photo["sha256"])
        assert visage.original(photo["id"]) == original.read_bytes()
        same_bytes = {path.name for path in folder.rglob("*") if path.is_file() and _sha(path) == photo["sha256"]}
        assert photo["original_filename"] in same_bytes - {".hidden.jpg"}
    assert "notes.txt" not in output and ".hidden.jpg" not in output

    again, output = client.run("push", str(folder), "--event", str(event), env=environment)

    assert again == 1, output  # the refused file is still there, and still named
    assert "0 uploaded" in output and "rejected   notes.jpg" in output
    assert len(visage.photos(event)) == 3


def test_a_second_event_gets_its_own_copy(visage, client, folder):
    """The state is per server and event: the same folder pushed to another event is sent there too."""
    shutil.copyfile(PORTRAITS[2], folder / "portrait.jpg")
    first, second = visage.new_event(), visage.new_event()
    for event in (first, second):
        code, output = client.run("push", str(folder), "--event", str(event), "--url", visage.server.url,
                                  "--api-key", visage.upload_key)
        assert code == 0, output
        assert "1 uploaded" in output
    assert [p["sha256"] for p in visage.photos(first)] == [p["sha256"] for p in visage.photos(second)]


def test_a_lost_state_file_sends_nothing_twice(visage, client, folder):
    """A corrupt (or deleted) state file: the server's SHA-256 dedupe answers `duplicate`, nothing is stored again."""
    for source in PORTRAITS[:3]:
        shutil.copyfile(source, folder / source.name)
    event = visage.new_event()
    arguments = ("push", str(folder), "--event", str(event), "--url", visage.server.url, "--api-key", visage.upload_key)
    code, output = client.run(*arguments)
    assert code == 0, output
    state = folder / ".visage-upload.json"
    entries = json.loads(state.read_text())["targets"][f"{visage.server.url} event {event}"]
    assert sorted(entry["status"] for entry in entries.values()) == ["created"] * 3
    state.write_text('{"version": 1, "targets": {')  # a half-written file, as if written without care

    code, output = client.run(*arguments)

    assert code == 0, output
    assert output.count("duplicate  ") == 3 and "0 uploaded" in output
    assert len(visage.photos(event)) == 3
    assert list(folder.glob(".visage-upload.json.corrupt-*")), "the unreadable state is kept aside"


@pytest.mark.parametrize("problem", ["unknown key", "read-only key", "unknown event", "no server"])
def test_clear_errors_and_nothing_sent(visage, client, folder, problem):
    shutil.copyfile(PORTRAITS[0], folder / "obama.jpg")
    event = visage.new_event()
    url, key, target = visage.server.url, visage.upload_key, event
    if problem == "unknown key":
        key = "vk_deadbeef_" + "x" * 43
    elif problem == "read-only key":
        key = visage.mint_key("read")
    elif problem == "unknown event":
        target = 10_000_000
    else:
        from hotfolder_kit import free_port

        url = f"http://127.0.0.1:{free_port()}"

    code, output = client.run("push", str(folder), "--event", str(target), "--url", url, "--api-key", key,
                              "--patience", "3", "--max-backoff", "1")

    expected = {"unknown key": (4, "(401): Unknown API key"), "read-only key": (4, "(403): This API key's scope (read)"),
                "unknown event": (4, f"event {target} was not found"), "no server": (3, f"cannot reach {url}")}[problem]
    assert code == expected[0], output
    assert expected[1] in output
    assert "Traceback" not in output
    assert visage.photos(event) == []


def test_usage_errors(client, folder):
    code, output = client.run("push", str(folder), "--event", "1")
    assert code == 2 and "--url and --api-key, or VISAGE_URL and VISAGE_API_KEY" in output
    code, output = client.run("push", str(folder / "missing"), "--event", "1", "--url", "http://x", "--api-key", "k")
    assert code == 2 and "is not a folder" in output
    (folder / "missing").write_text("a file where the state's folder should be")
    code, output = client.run("push", str(folder), "--event", "1", "--url", "http://x", "--api-key", "k",
                              "--state", str(folder / "missing" / "state.json"))
    assert code == 2 and "cannot write the state file" in output and "--state" in output
