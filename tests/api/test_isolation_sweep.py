"""Isolation sweep over every operation of the generated OpenAPI schema (not a hand-kept list, so
a new route is swept the day it is added): studio B's user token and B's API keys of each scope,
aimed at studio A's real objects, never succeed and never see A's data; A's own read key never
writes. Operations whose credential is in the URL (guest share tokens, signed album links) and
sign-in are not tenant-scoped by a caller and are left to their own tests."""
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from core.api import view_scope
from core.api_keys import UPLOAD_WRITES
from events.services import event_create
from recognition.models import Face, Person
from sharing.models import RemovalRequest
from sharing.notify.channels import channel_create
from sharing.services.links import share_link_create
from sharing.services.organizers import organizer_invite
from tests.api.helpers import key_client, new_key
from tests.factories import client_for, jpeg_bytes

METHODS = ("get", "post", "put", "patch", "delete")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
MARK = "zq7-studio-a-only"  # in every name A's objects have: seeing it outside A is a leak


def _operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item if method in METHODS]


def _swept(path: str, values: dict) -> bool:
    """Tenant-scoped operations reached with a caller's own credentials (token, key, session)."""
    return "{token}" not in path and view_scope(resolve(_fill(path, values)).func) == "scoped"


@pytest.fixture
def studio_a_objects(studio_a, alice, as_alice):
    """One of each kind of A's objects, by the path parameter that names it."""
    event = event_create(studio=studio_a, user=alice, name=f"Gala {MARK}")
    upload = as_alice.post(f"/api/v1/events/{event.id}/photos/", {
        "files": [SimpleUploadedFile(f"{MARK}.jpg", jpeg_bytes(), content_type="image/jpeg")]}, format="multipart")
    photo_id = upload.json()["results"][0]["photo"]["id"]
    person = Person.objects.create(studio=studio_a, event=event, name=f"Person {MARK}")
    face = Face.objects.create(
        studio=studio_a, event=event, photo_id=photo_id, x1=1, y1=1, x2=20, y2=20, probability=0.99,
        landmarks=[[5, 5]] * 5, embedding_ciphertext=b"not-a-real-embedding", embedder_name="sface",
        embedder_version="test", embedder_dim=128, usable=True, blur=100.0, person=person)
    link = share_link_create(event=event, user=alice, base_url="http://testserver", label=f"Link {MARK}").link
    organizer = organizer_invite(event=event, email=f"{MARK}@organizer.example", invited_by=alice,
                                 base_url="http://testserver")
    removal = RemovalRequest.objects.create(studio=studio_a, event=event, person=person, face_ids=[face.id])
    api_key, _ = new_key(studio_a, "full", by=alice, name=f"Key {MARK}")
    channel = channel_create(studio=studio_a, user=alice, url=f"json://hooks.example.com/{MARK}?:to={{phone}}",
                             label=f"Channel {MARK}")
    values = {
        "event_id": event.id, "photo_id": photo_id, "person_id": person.id, "face_id": face.id,
        "link_id": link.id, "name": "qr.png", "user_id": organizer.user_id, "request_id": removal.id,
        "key_id": api_key.id, "channel_id": channel.id,
    }
    if apps.is_installed("webhooks"):
        from webhooks.models import Webhook
        from webhooks.services import webhook_ping

        webhook = Webhook.objects.create(studio=studio_a, url=f"https://hooks.example.com/{MARK}",
                                         events=["photo.processed"], secret=f"secret-{MARK}")
        values |= {"webhook_id": webhook.id, "delivery_id": webhook_ping(webhook=webhook).uid}
    return values


def _fill(path: str, values: dict) -> str:
    missing = set(re.findall(r"\{([^}]+)\}", path)) - set(values)
    assert not missing, f"{path}: give studio_a_objects one of A's objects for {missing} so the sweep covers it"
    return re.sub(r"\{([^}]+)\}", lambda m: str(values[m.group(1)]), path)


def _call(client, method: str, url: str):
    return getattr(client, method.lower())(url, {}, format="json") if method in WRITES else client.get(url)


def test_studio_b_never_reaches_studio_a(studio_a_objects, studio_b, charlie):
    operations = [op for op in _operations() if _swept(op[1], studio_a_objects)]
    assert len(operations) > 40, "the sweep must cover the API, not a handful of routes"
    callers = {"B's user token": client_for(charlie)}
    for scope in ("read", "upload", "full"):
        callers[f"B's {scope} key"] = key_client(new_key(studio_b, scope, by=charlie)[1])

    leaks = []
    for method, path in operations:
        url = _fill(path, studio_a_objects)
        names_a_object = "{" in path
        for who, client in callers.items():
            response = _call(client, method, url)
            body = b"" if getattr(response, "streaming", False) else response.content
            if names_a_object and 200 <= response.status_code < 300:
                leaks.append(f"{who}: {method} {url} -> {response.status_code}")
            elif names_a_object and who == "B's user token" and response.status_code != 404:
                leaks.append(f"{who}: {method} {url} -> {response.status_code}, not the 404 of a missing object")
            if MARK.encode() in body:
                leaks.append(f"{who}: {method} {url} -> A's data in the body")
    assert leaks == [], "\n".join(leaks)


@pytest.mark.parametrize("scope", ["read", "upload"])
def test_studio_a_keys_never_write_beyond_their_scope(scope, studio_a_objects, studio_a, alice):
    """A's read key writes nothing; A's upload key writes only what UPLOAD_WRITES lists (events, photos)."""
    operations = [op for op in _operations() if _swept(op[1], studio_a_objects) and op[0] in WRITES]
    assert len(operations) > 20
    client = key_client(new_key(studio_a, scope, by=alice)[1])
    wrote = []
    for method, path in operations:
        url = _fill(path, studio_a_objects)
        if (method, resolve(url).view_name) in UPLOAD_WRITES and scope == "upload":
            continue
        response = _call(client, method, url)
        if response.status_code != 403:
            wrote.append(f"{method} {path} -> {response.status_code}")
    assert wrote == [], "\n".join(wrote)
    assert client.get(_fill("/api/v1/events/{event_id}/", studio_a_objects)).status_code == 200  # it does read
