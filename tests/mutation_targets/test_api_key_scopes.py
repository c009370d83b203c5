"""core/api_keys.py: what a key's holder is told when it is refused — unknown, revoked (with or
without a reason), or asking for what no key may do. The scope × route table is tests/core/'s."""
from types import SimpleNamespace

import pytest
from rest_framework.exceptions import PermissionDenied
from rest_framework.test import APIClient

from core.api_keys import ApiKeyScopePermission
from core.tenancy.api_keys import api_key_revoke
from tests.api.helpers import key_client, new_key


def _message(response) -> str:
    return response.json()["error"]["message"]


def test_an_unknown_key_is_told_how_to_get_one(studio_a):
    response = key_client("vk_not-a-key").get("/api/v1/events/")
    assert response.status_code == 401
    assert _message(response) == ("Unknown API key. Keys are shown once, when created: check it was copied "
                                  "whole, or ask a studio owner or admin for a new one.")


def test_a_revoked_key_says_when_and_why(studio_a, alice):
    with_reason, secret = new_key(studio_a, "read", by=alice)
    api_key_revoke(api_key=with_reason, reason="leaked in a log")
    without_reason, other_secret = new_key(studio_a, "read", by=alice)
    api_key_revoke(api_key=without_reason)
    for api_key, key, why in ((with_reason, secret, " (leaked in a log)"), (without_reason, other_secret, "")):
        api_key.refresh_from_db()
        response = key_client(key).get("/api/v1/events/")
        assert response.status_code == 401
        assert _message(response) == (f"This API key ({api_key.prefix}…) was revoked on "
                                      f"{api_key.revoked_at:%Y-%m-%d %H:%M} UTC{why}. Ask a studio owner or admin "
                                      "for a new one.")


def test_no_key_manages_keys_and_a_scope_refusal_names_the_scope(studio_a, alice):
    _, full = new_key(studio_a, "full", by=alice)
    _, read = new_key(studio_a, "read", by=alice)
    keys = key_client(full).get("/api/v1/studio/api-keys/")
    assert keys.status_code == 403
    assert _message(keys) == "API keys cannot do this: sign in as a studio owner or admin."
    write = key_client(read).post("/api/v1/events/", {"name": "Gala"}, format="json")
    assert write.status_code == 403 and _message(write) == "This API key's scope (read) does not allow this request."
    assert key_client(full).post("/api/v1/events/", {"name": "Gala"}, format="json").status_code == 201


def test_a_key_in_two_words_is_told_to_send_one(studio_a):
    response = key_client("vk_one two").get("/api/v1/events/")
    assert response.status_code == 401
    assert _message(response) == "Send the key as one word: 'Authorization: Api-Key <key>'."


def test_requests_without_a_key_are_left_to_the_other_sign_ins(studio_a, alice):
    assert APIClient().get("/api/v1/events/").status_code == 401  # no Authorization header at all
    other_scheme = APIClient()
    other_scheme.credentials(HTTP_AUTHORIZATION="Basic YWxpY2U6cHc=")
    refused = other_scheme.get("/api/v1/events/")
    assert refused.status_code == 401 and "API key" not in _message(refused)
    session = APIClient()
    session.force_login(alice)
    assert session.get("/api/v1/events/").status_code == 200


def test_a_request_outside_any_route_is_judged_by_scope_alone(studio_a, alice):
    read, _ = new_key(studio_a, "read", by=alice)  # resolver_match is None outside URL routing
    permission = ApiKeyScopePermission()
    assert permission.has_permission(SimpleNamespace(auth=read, method="GET", resolver_match=None), view=None)
    with pytest.raises(PermissionDenied, match=r"scope \(read\) does not allow"):
        permission.has_permission(SimpleNamespace(auth=read, method="POST", resolver_match=None), view=None)
