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


@pytest.fixture
def client_package(live_server, tmp_path):
    """Generate the client from the live server's schema; import it as a fresh package."""
    assert GENERATOR.exists(), "openapi-python-client comes with requirements/dev.txt (make install)"
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


class Generated:
    """The generated package, addressed the way its own docs do: api.<tag>.<operation>, models.<Name>."""

    def __init__(self, package, base_url: str):
        self.package, self.base_url, self.timeout = package, base_url, httpx.Timeout(180.0)
        self._files = []

    def call(self, operation: str, *args, **kwargs):
        return importlib.import_module(f"{self.package.__name__}.api.{operation}").sync_detailed(*args, **kwargs)

    def model(self, name: str):
        return getattr(importlib.import_module(f"{self.package.__name__}.models"), name)

    def file(self, path: Path):
        handle = path.open("rb")
        self._files.append(handle)
        return importlib.import_module(f"{self.package.__name__}.types").File(
            payload=handle, file_name=path.name, mime_type="image/png")

    def anonymous(self):
        return self.package.Client(base_url=self.base_url, timeout=self.timeout)

    def as_(self, credential: str, prefix: str):
        return self.package.AuthenticatedClient(base_url=self.base_url, token=credential, prefix=prefix, timeout=self.timeout)

    def close(self):
        for handle in self._files:
            handle.close()


@pytest.fixture
def gen(client_package, live_server):
    generated = Generated(client_package, live_server.url)
    yield generated
    generated.close()


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


def _mint_keys(gen: Generated) -> tuple:
    """The owner signs in and mints an upload key (for the uploader) and a full key (the event app)."""
    signed_in = _ok(gen.call("auth.auth_token_create", client=gen.anonymous(), body=gen.model("TokenCreateInput")(
        email="alice@a.example", password="pw-alice-123")))
    owner, scope = gen.as_(signed_in.token, "Token"), gen.model("ApiKeyScopeEnum")
    keys = [_ok(gen.call("api_keys.studio_api_keys_create", client=owner, body=gen.model("ApiKeyCreateInput")(
        name=name, scope=key_scope)), 201).key for name, key_scope in (("Lightroom plug-in", scope.UPLOAD),
                                                                       ("Event app", scope.FULL))]
    return gen.as_(keys[0], "Api-Key"), gen.as_(keys[1], "Api-Key")


def _upload_with_a_retry(gen: Generated, uploader, event_id: int):
    """Upload the photos, then retry with the same Idempotency-Key: the first answer, nothing stored twice."""
    answers = [gen.call("photos.photos_upload", event_id, client=uploader, idempotency_key="upload-1",
                        body=gen.model("PhotosUploadBody")(files=[gen.file(path) for path in EVENT_PHOTOS]))
               for _ in range(2)]
    first = _ok(answers[0], 201)
    assert answers[1].status_code == 201 and json.loads(answers[1].content) == json.loads(answers[0].content)
    assert len({result.photo.id for result in first.results}) == len(EVENT_PHOTOS)
    listed = _ok(gen.call("photos.photos_list", event_id, client=uploader))
    assert listed.count == len(EVENT_PHOTOS)
    return {photo.original_filename: photo.id for photo in listed.results}


def _signed_notice(receiver, secret: str, event_type: str):  # noqa: F811 - the fixture's value
    """The first notice of this type, after checking its HMAC over "<timestamp>.<body>"."""
    notice = _wait_for(lambda: next((r for r in receiver.requests if r.headers.get("x-visage-event") == event_type),
                                    None), 180, event_type)
    signed = f"{notice.headers['x-visage-timestamp']}.".encode() + notice.body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(notice.headers["x-visage-signature"], expected)
    return json.loads(notice.body)


def test_a_generated_client_runs_the_whole_journey(gen, live_server, receiver, studio_a, alice, settings):  # noqa: F811
    settings.VISAGE_PUBLIC_URL = live_server.url
    uploader, app = _mint_keys(gen)

    kinds = gen.model("WebhookEventTypeEnum")
    hook = _ok(gen.call("webhooks.webhooks_create", client=app, body=gen.model("WebhookCreateInput")(
        url=receiver.url, events=[kinds("photo.processed"), kinds("event.processed")])), 201)
    event = _ok(gen.call("events.events_create", client=uploader, body=gen.model("EventCreateInput")(
        name="Penny & Leonard's wedding")), 201)
    photo_ids = _upload_with_a_retry(gen, uploader, event.id)
    assert _signed_notice(receiver, hook.secret, "event.processed")["data"]["event_id"] == event.id

    people = _ok(gen.call("people.people_list", event.id, client=uploader))
    assert len(people) >= 3 and all(person.face_count >= 1 for person in people)
    link = _ok(gen.call("share_links.share_links_create", event.id, client=app,
                        body=gen.model("ShareLinkCreateInput")(label="Tables")), 201)

    # A guest (no credentials) finds only their photo with a selfie and downloads the original.
    guest = gen.anonymous()
    assert _ok(gen.call("guest.guest_link_get", link.token, client=guest)).event_name == event.name
    found = _ok(gen.call("guest.guest_search", link.token, client=guest, body=gen.model("GuestSearchBody")(
        selfie=gen.file(SELFIE), consent=True)))
    assert {match.photo_id for match in found.matches} == {photo_ids["penny1.png"]}, (found.matches, photo_ids)
    original = guest.get_httpx_client().get(found.matches[0].original_url)
    assert original.status_code == 200 and original.content == (BBT / "penny" / "penny1.png").read_bytes()
