"""Idempotency records never hold a secret, and a key is private to (principal, studio, key).

Before: a POST minting an API key, a webhook secret or a share token kept its whole answer for
24 h (the secret in plaintext in the idempotency table) and a retry replayed it, even after the
key was revoked; the same Idempotency-Key sent with another X-Studio replayed the first studio's
answer instead of acting in the second studio.
"""
import json
import re

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from core.api import ScopedApi
from core.tenancy.models import IdempotencyRecord, Role, StudioApiKey
from core.tenancy.services import membership_add
from events.models import Event
from events.services import event_create
from tests.api.helpers import key_client, new_key
from tests.factories import client_for

# Names a response field has when it carries a credential shown once.
SECRET_FIELD_NAMES = {"key", "token", "secret", "session"}


def _mint_api_key(client, studio, user):
    return "/api/v1/studio/api-keys/", {"name": "Uploader", "scope": "upload"}, "key"


def _mint_webhook(client, studio, user):
    return "/api/v1/studio/webhooks/", {"url": "http://127.0.0.1:9/hook", "events": ["photo.processed"]}, "secret"


def _mint_share_link(client, studio, user):
    event = event_create(studio=studio, user=user, name="Gala")
    return f"/api/v1/events/{event.id}/share-links/", {"scope": "selfie"}, "token"


def _idempotency_table() -> str:
    return json.dumps(list(IdempotencyRecord.objects.values()), default=str)


@pytest.mark.parametrize("mint", [_mint_api_key, _mint_webhook, _mint_share_link])
def test_a_minted_secret_is_never_kept_nor_replayed(mint, as_alice, studio_a, alice):
    url, body, field = mint(as_alice, studio_a, alice)
    first = as_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="mint-1")
    assert first.status_code == 201, first.content
    secret = first.json()[field]
    # vk_<prefix>_<secret>, whsec_<secret>, <token>: the longest run (a token may hold "_" itself, and its
    # last run after one can be a single letter that any message contains)
    random_part = max(secret.split("_"), key=len)
    table = _idempotency_table()
    assert IdempotencyRecord.objects.count() == 1
    assert secret not in table and random_part not in table

    retry = as_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="mint-1")
    assert retry.status_code == 409, retry.content
    error = retry.json()["error"]
    assert error["code"] == "secret_not_replayable"
    assert error["details"]["id"] == first.json()["id"]  # what the client needs to revoke it and start again
    assert random_part not in retry.content.decode()
    assert random_part not in _idempotency_table()


def test_a_retry_after_revoking_the_key_gets_no_key(as_alice, studio_a):
    url = "/api/v1/studio/api-keys/"
    first = as_alice.post(url, {"name": "Lost", "scope": "full"}, format="json", HTTP_IDEMPOTENCY_KEY="mint-2")
    key = first.json()["key"]
    assert as_alice.delete(f"{url}{first.json()['id']}/").status_code == 204
    retry = as_alice.post(url, {"name": "Lost", "scope": "full"}, format="json", HTTP_IDEMPOTENCY_KEY="mint-2")
    assert retry.status_code == 409 and key.rsplit("_", 1)[-1] not in retry.content.decode()
    assert key_client(key).get("/api/v1/events/").status_code == 401
    assert StudioApiKey.objects.count() == 1  # the retry created nothing either


def _path_value(match) -> str:
    return "00000000-0000-4000-8000-000000000001" if match.group() == "{delivery_id}" else "1"


def test_every_operation_that_answers_a_secret_declares_it():
    """A new POST answering a credential must list it in idempotency_secrets, or its answer would be kept."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    checked = []
    for path, item in schema["paths"].items():
        operation = item.get("post")
        if operation is None or "{token}" in path:  # guests: no principal, nothing kept
            continue
        view = resolve(re.sub(r"\{[^}]+\}", _path_value, path)).func.view_class
        if not issubclass(view, ScopedApi):
            continue
        for status, answer in operation["responses"].items():
            ref = answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
            fields = set(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})) if status < "300" else set()
            for field in fields & SECRET_FIELD_NAMES:
                checked.append(path)
                assert field in view.idempotency_secrets, f"POST {path} answers {field!r}: list it in idempotency_secrets"
    assert len(checked) >= 3  # api keys, webhooks, share links


# principal × studio × key: each combination is its own record; a repeat of each replays its own.
@pytest.fixture
def two_studio_callers(studio_a, studio_b, alice, bob, charlie):
    membership_add(studio=studio_b, email=alice.email, password=None, role=Role.ADMIN)
    membership_add(studio=studio_b, email=bob.email, password=None, role=Role.PHOTOGRAPHER)
    _, key_a = new_key(studio_a, "upload", by=alice)
    return {"alice": client_for(alice), "bob": client_for(bob), "key-a": key_client(key_a)}


CALLS = [  # (caller, X-Studio or None: the caller's oldest studio, Idempotency-Key)
    (caller, studio, key)
    for caller in ("alice", "bob", "key-a")
    for studio in (("studio-a", "studio-b") if caller != "key-a" else ("studio-a",))
    for key in ("k1", "k2")
]


def test_records_are_matched_by_principal_studio_and_key(two_studio_callers):
    created = {}
    for caller, studio, key in CALLS:
        answer = two_studio_callers[caller].post("/api/v1/events/", {"name": "Same"}, format="json",
                                                 HTTP_IDEMPOTENCY_KEY=key, HTTP_X_STUDIO=studio)
        assert answer.status_code == 201 and "Idempotent-Replayed" not in answer, (caller, studio, key)
        created[caller, studio, key] = answer.json()["id"]
    assert len(set(created.values())) == len(CALLS) == Event.objects.count()
    for caller, studio, key in CALLS:
        event = Event.objects.get(id=created[caller, studio, key])
        assert event.studio.slug == studio  # it acted in the studio the header named
        replay = two_studio_callers[caller].post("/api/v1/events/", {"name": "Same"}, format="json",
                                                 HTTP_IDEMPOTENCY_KEY=key, HTTP_X_STUDIO=studio)
        assert replay["Idempotent-Replayed"] == "true" and replay.json()["id"] == event.id, (caller, studio, key)
    assert Event.objects.count() == len(CALLS)


def test_the_same_key_in_another_studio_acts_there(studio_a, studio_b, alice):
    membership_add(studio=studio_b, email=alice.email, password=None, role=Role.ADMIN)
    client = client_for(alice)
    in_a = client.post("/api/v1/events/", {"name": "Gala"}, format="json", HTTP_IDEMPOTENCY_KEY="k", HTTP_X_STUDIO="studio-a")
    in_b = client.post("/api/v1/events/", {"name": "Gala"}, format="json", HTTP_IDEMPOTENCY_KEY="k", HTTP_X_STUDIO="studio-b")
    assert in_a.status_code == in_b.status_code == 201 and "Idempotent-Replayed" not in in_b
    assert Event.objects.get(id=in_b.json()["id"]).studio == studio_b
    assert list(Event.objects.filter(studio=studio_a).values_list("id", flat=True)) == [in_a.json()["id"]]
