"""A client written only from /api/schema/: openapi-python-client generates a typed httpx client
from the schema the running app serves, and that client alone drives the whole studio journey
over real HTTP — an owner signs in and mints API keys, a webhook is registered, an upload key
creates an event and uploads real photos, `event.processed` arrives signed at a loopback
receiver, people are listed, a share link is made and a guest finds their photos with a selfie
and downloads a byte-identical original.

If the schema drifts from the responses (a list documented as an array but answered as a page,
a missing field, a wrong type), the generated models fail to parse and this test fails.
"""
import hashlib
import hmac
import importlib
import json
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.factories import FACES_DIR
from tests.http_receiver import receiver  # noqa: F401 - the loopback webhook receiver fixture

BBT = FACES_DIR / "bbt" / "people"
EVENT_PHOTOS = [BBT / name / f"{name}1.png" for name in ("penny", "amy", "leonard")]
SELFIE = BBT / "penny" / "penny2.png"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")

pytestmark = pytest.mark.skipif(not GENERATOR.exists(), reason="openapi-python-client is in requirements/dev.txt")


@pytest.fixture
def client_package(live_server, tmp_path):
    """Generate the client from the live server's schema; import it as a fresh package."""
    schema = httpx.get(f"{live_server.url}/api/schema/", params={"format": "json"}, timeout=60)
    assert schema.status_code == 200, schema.text[:500]
    (tmp_path / "schema.json").write_bytes(schema.content)
    name = f"visage_client_{uuid.uuid4().hex[:8]}"
    env = {"PATH": f"{GENERATOR.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    generated = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(tmp_path / "schema.json"), "--meta", "none",
         "--output-path", str(tmp_path / name)],
        capture_output=True, text=True, timeout=180, env=env)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]
        shutil.rmtree(tmp_path / name, ignore_errors=True)


def _api(package, module: str):
    return importlib.import_module(f"{package.__name__}.api.{module}")


def _model(package, name: str):
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)


def _ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response.parsed is not None, "the generated client could not parse a documented answer"
    return response.parsed


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_generated_client_runs_the_whole_journey(client_package, live_server, receiver, studio_a, alice, settings):  # noqa: F811
    settings.VISAGE_PUBLIC_URL = live_server.url
    pkg, base = client_package, live_server.url
    File = importlib.import_module(f"{pkg.__name__}.types").File
    timeout = httpx.Timeout(180.0)
    anonymous = pkg.Client(base_url=base, timeout=timeout)

    # The owner signs in and mints an upload key and a full key.
    signed_in = _ok(_api(pkg, "auth.auth_token_create").sync_detailed(
        client=anonymous, body=_model(pkg, "TokenCreateInput")(email="alice@a.example", password="pw-alice-123")))
    owner = pkg.AuthenticatedClient(base_url=base, token=signed_in.token, prefix="Token", timeout=timeout)
    create_key = _api(pkg, "api_keys.studio_api_keys_create")
    scope = _model(pkg, "ApiKeyScopeEnum")
    upload_key = _ok(create_key.sync_detailed(client=owner, body=_model(pkg, "ApiKeyCreateInput")(
        name="Lightroom plug-in", scope=scope.UPLOAD)), 201).key
    full_key = _ok(create_key.sync_detailed(client=owner, body=_model(pkg, "ApiKeyCreateInput")(
        name="Event app", scope=scope.FULL)), 201).key
    uploader = pkg.AuthenticatedClient(base_url=base, token=upload_key, prefix="Api-Key", timeout=timeout)
    app = pkg.AuthenticatedClient(base_url=base, token=full_key, prefix="Api-Key", timeout=timeout)

    # The event app registers a webhook; the secret comes back once.
    kinds = _model(pkg, "WebhookEventTypeEnum")
    hook = _ok(_api(pkg, "webhooks.webhooks_create").sync_detailed(client=app, body=_model(pkg, "WebhookCreateInput")(
        url=receiver.url, events=[kinds("photo.processed"), kinds("event.processed")])), 201)

    # The uploader creates the event and uploads real photos (retried once with the same key: one copy).
    event = _ok(_api(pkg, "events.events_create").sync_detailed(
        client=uploader, body=_model(pkg, "EventCreateInput")(name="Penny & Leonard's wedding")), 201)
    files = [File(payload=path.open("rb"), file_name=path.name, mime_type="image/png") for path in EVENT_PHOTOS]
    upload = _api(pkg, "photos.photos_upload")
    first_answer = upload.sync_detailed(event.id, client=uploader, idempotency_key="upload-1",
                                        body=_model(pkg, "PhotosUploadBody")(files=files))
    first = _ok(first_answer, 201)
    again = upload.sync_detailed(event.id, client=uploader, idempotency_key="upload-1",
                                 body=_model(pkg, "PhotosUploadBody")(files=[
                                     File(payload=p.open("rb"), file_name=p.name, mime_type="image/png") for p in EVENT_PHOTOS]))
    assert again.status_code == 201 and json.loads(again.content) == json.loads(first_answer.content)
    photo_ids = {result.photo.id for result in first.results}
    assert len(photo_ids) == len(EVENT_PHOTOS)
    listed = _ok(_api(pkg, "photos.photos_list").sync_detailed(event.id, client=uploader))
    assert listed.count == len(EVENT_PHOTOS)

    # event.processed arrives, signed with the webhook's secret over "<timestamp>.<body>".
    def processed_notice():
        return next((r for r in receiver.requests if r.headers.get("x-visage-event") == "event.processed"), None)
    notice = _wait_for(processed_notice, 180, "event.processed")
    signed = f"{notice.headers['x-visage-timestamp']}.".encode() + notice.body
    expected = "sha256=" + hmac.new(hook.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(notice.headers["x-visage-signature"], expected)
    assert json.loads(notice.body)["data"]["event_id"] == event.id

    # People are there, one per guest; the full key makes a selfie link.
    people = _ok(_api(pkg, "people.people_list").sync_detailed(event.id, client=uploader))
    assert len(people) >= 3 and all(person.face_count >= 1 for person in people)
    link = _ok(_api(pkg, "share_links.share_links_create").sync_detailed(
        event.id, client=app, body=_model(pkg, "ShareLinkCreateInput")(label="Tables")), 201)

    # A guest (no credentials) finds their photos with a selfie and downloads an original.
    guest = pkg.Client(base_url=base, timeout=timeout)
    assert _ok(_api(pkg, "guest.guest_link_get").sync_detailed(link.token, client=guest)).event_name == event.name
    found = _ok(_api(pkg, "guest.guest_search").sync_detailed(link.token, client=guest, body=_model(pkg, "GuestSearchBody")(
        selfie=File(payload=SELFIE.open("rb"), file_name=SELFIE.name, mime_type="image/png"), consent=True)))
    by_name = {p.original_filename: p.id for p in listed.results}
    shown = {match.photo_id for match in found.matches}
    assert shown == {by_name["penny1.png"]}, (shown, by_name)
    original = guest.get_httpx_client().get(found.matches[0].original_url)
    assert original.status_code == 200
    assert original.content == (BBT / "penny" / "penny1.png").read_bytes()
