"""Studio API keys: who manages them, what each scope may do, revocation, and the studio wall."""
import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.tenancy.models import Membership, Role, StudioApiKey
from core.tenancy.services import membership_add
from events.models import Event, Photo
from events.services import event_create
from tests.api.helpers import BBT_PHOTO, key_client, new_key, real_photo
from tests.factories import client_for

KEYS = "/api/v1/studio/api-keys/"


def test_owner_creates_a_key_shown_once_and_stored_hashed(as_alice, alice, studio_a):
    response = as_alice.post(KEYS, {"name": "Lightroom", "scope": "upload"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith(f"vk_{body['prefix']}_") and len(body["key"]) > 40
    stored = StudioApiKey.objects.get(id=body["id"])
    assert stored.key_hash == hashlib.sha256(body["key"].encode()).hexdigest()
    assert body["key"] not in {stored.key_hash, stored.prefix, stored.name}

    listed = as_alice.get(KEYS).json()
    assert listed == [{k: v for k, v in body.items() if k != "key"}]  # never shown again
    assert listed[0]["created_by"] == "alice@a.example" and listed[0]["scope"] == "upload"
    assert key_client(body["key"]).get("/api/v1/events/").status_code == 200


def test_an_admin_may_manage_keys(studio_a):
    admin = membership_add(studio=studio_a, email="ada@a.example", password="pw-ada-123", role=Role.ADMIN).user
    as_admin = client_for(admin)
    created = as_admin.post(KEYS, {"name": "Uploader", "scope": "read"}, format="json").json()
    assert as_admin.delete(f"{KEYS}{created['id']}/").status_code == 204


@pytest.mark.parametrize("member", ["as_bob", "as_vera"])
def test_photographers_and_viewers_may_not_manage_keys(member, request, studio_a, alice):
    client = request.getfixturevalue(member)
    api_key, _ = new_key(studio_a, "full", by=alice)
    assert client.post(KEYS, {"name": "Mine", "scope": "full"}, format="json").status_code == 403
    assert client.get(KEYS).status_code == 403
    response = client.delete(f"{KEYS}{api_key.id}/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert StudioApiKey.objects.filter(studio=studio_a).count() == 1
    assert StudioApiKey.objects.get().revoked_at is None


def test_another_studio_cannot_see_or_revoke_a_key(as_charlie, studio_a, studio_b, alice):
    api_key, secret = new_key(studio_a, "read", by=alice)
    assert as_charlie.delete(f"{KEYS}{api_key.id}/").status_code == 404
    assert as_charlie.get(KEYS).json() == []
    api_key.refresh_from_db()
    assert api_key.revoked_at is None
    assert key_client(secret).get("/api/v1/events/").status_code == 200


def test_a_revoked_key_is_refused_at_once(as_alice, studio_a, alice):
    api_key, secret = new_key(studio_a, "full", by=alice)
    client = key_client(secret)
    assert client.get("/api/v1/events/").status_code == 200
    assert as_alice.delete(f"{KEYS}{api_key.id}/").status_code == 204

    response = client.get("/api/v1/events/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "revoked" in response.json()["error"]["message"]
    assert as_alice.get(KEYS).json()[0]["revoked_at"] is not None
    assert not Membership.objects.filter(user=api_key.service_user).exists()


def test_an_unknown_key_is_401_in_the_error_shape(studio_a, alice):
    _, secret = new_key(studio_a, "full", by=alice)
    for wrong in (secret[:-2] + "xx", "vk_00000000_nothing", "garbage"):
        response = key_client(wrong).get("/api/v1/events/")
        assert response.status_code == 401
        assert response.json()["error"]["message"].startswith("Unknown API key")


def test_read_key_reads_but_cannot_create_or_upload(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    _, secret = new_key(studio_a, "read", by=alice)
    client = key_client(secret)
    assert [e["name"] for e in client.get("/api/v1/events/").json()["results"]] == ["Gala"]
    assert client.post("/api/v1/events/", {"name": "New"}, format="json").status_code == 403
    response = client.post(f"/api/v1/events/{event.id}/photos/", {"files": [real_photo()]}, format="multipart")
    assert response.status_code == 403 and "scope (read)" in response.json()["error"]["message"]
    assert Event.objects.count() == 1 and Photo.objects.count() == 0


def test_upload_key_creates_an_event_and_uploads_a_real_photo_but_nothing_else(studio_a, alice):
    _, secret = new_key(studio_a, "upload", by=alice)
    client = key_client(secret)
    created = client.post("/api/v1/events/", {"name": "Conference"}, format="json")
    assert created.status_code == 201
    event_id = created.json()["id"]
    upload = client.post(f"/api/v1/events/{event_id}/photos/", {"files": [real_photo()]}, format="multipart")
    assert upload.status_code == 201
    assert upload.json()["results"][0]["photo"]["sha256"] == hashlib.sha256(BBT_PHOTO.read_bytes()).hexdigest()
    assert Photo.objects.get().studio == studio_a

    assert client.patch(f"/api/v1/events/{event_id}/", {"name": "Renamed"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/events/{event_id}/").status_code == 403
    share = client.post(f"/api/v1/events/{event_id}/share-links/", {"scope": "selfie"}, format="json")
    assert share.status_code == 403
    assert Event.objects.get().name == "Conference"


def test_full_key_acts_as_an_admin_but_never_manages_keys_or_mints_tokens(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Old")
    api_key, secret = new_key(studio_a, "full", by=alice)
    client = key_client(secret)
    assert client.patch(f"/api/v1/events/{event.id}/", {"name": "New"}, format="json").status_code == 200
    assert client.post(KEYS, {"name": "child", "scope": "full"}, format="json").status_code == 403
    assert client.get(KEYS).status_code == 403
    assert client.delete(f"{KEYS}{api_key.id}/").status_code == 403
    assert client.post("/api/v1/auth/token/rotate/").status_code == 403
    assert StudioApiKey.objects.count() == 1 and not Token.objects.filter(user=api_key.service_user).exists()
    assert client.delete(f"/api/v1/events/{event.id}/").status_code == 204


def test_last_used_at_is_recorded_at_most_once_a_minute(studio_a, alice, django_assert_num_queries):
    api_key, secret = new_key(studio_a, "read", by=alice)
    assert api_key.last_used_at is None
    client = key_client(secret)
    client.get("/api/v1/studio/sharing-policy/")
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None and timezone.now() - api_key.last_used_at < timedelta(seconds=5)

    recent = timezone.now() - timedelta(seconds=30)
    StudioApiKey.objects.filter(id=api_key.id).update(last_used_at=recent)
    client.get("/api/v1/studio/sharing-policy/")
    api_key.refresh_from_db()
    assert api_key.last_used_at == recent  # fresh enough: not written again

    StudioApiKey.objects.filter(id=api_key.id).update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get("/api/v1/studio/sharing-policy/")
    api_key.refresh_from_db()
    assert timezone.now() - api_key.last_used_at < timedelta(seconds=5)


def test_x_studio_cannot_take_a_key_to_another_studio(studio_a, studio_b, alice, charlie):
    event_create(studio=studio_b, user=charlie, name="B's secret party")
    _, secret = new_key(studio_a, "full", by=alice)
    client = key_client(secret, HTTP_X_STUDIO=studio_b.slug)
    listed = client.get("/api/v1/events/")
    assert "B's secret party" not in listed.content.decode()
    assert client.get("/api/v1/studio/sharing-policy/").status_code == 404
    assert client.post("/api/v1/events/", {"name": "Planted"}, format="json").status_code == 404
    assert not Event.objects.filter(studio=studio_b, name="Planted").exists()


def test_the_service_account_cannot_sign_in_on_the_web(client, studio_a, alice):
    api_key, secret = new_key(studio_a, "full", by=alice)
    email = api_key.service_user.email
    assert not api_key.service_user.has_usable_password()
    for password in ("", secret):
        response = client.post("/login/", {"username": email, "password": password})
        assert "_auth_user_id" not in client.session
        assert response.status_code == 200  # the form again, with its error


def test_a_keys_account_cannot_be_invited_into_another_studio(as_charlie, studio_a, studio_b, charlie, alice):
    """Its address stays in its own studio: studio B can neither make it an organizer nor a member."""
    key, _ = new_key(studio_a, "full", by=alice)
    address = key.service_user.email
    event = event_create(studio=studio_b, user=charlie, name="B's party")
    answer = as_charlie.post(f"/api/v1/events/{event.id}/organizers/", {"email": address.upper()}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "reserved_address"
    with pytest.raises(Exception, match="belongs to an API key"):
        membership_add(studio=studio_b, email=address, password=None, role=Role.ADMIN)
    assert list(Membership.objects.filter(user=key.service_user).values_list("studio_id", flat=True)) == [studio_a.id]
