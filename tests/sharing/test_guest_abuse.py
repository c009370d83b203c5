"""Bad input and abuse: each a clear 4xx that exposes nothing. Link states and limits need no
faces, so most of these run on a small event of generated photos."""
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from sharing.models import GuestConsent, GuestSession, ShareLink
from tests.factories import jpeg_bytes
from tests.sharing.conftest import guest_client, make_link, read_face, search

AMY = "bbt/people/amy/amy1.png"


def session_start(client, key, **data):
    return client.post(f"/api/v1/guest/{key}/session", {"consent": True, **data}, format="json")


def assert_error(response, status, code):
    assert response.status_code == status, (response.status_code, response.content)
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}  # nothing else leaks out
    assert body["error"]["code"] == code and body["error"]["message"]


def test_unknown_token_and_code(db):
    client = guest_client()
    assert_error(client.get("/api/v1/guest/" + "x" * 32 + "/"), 404, "unknown_link")
    assert_error(client.get("/api/v1/guest/ABCD-EFGH/"), 404, "unknown_link")


def test_expired_revoked_exhausted(event):
    # An event link spends its use when opened (selfie links at the first search: test_guest_search).
    expired, revoked, once = make_link(event), make_link(event), make_link(event, max_uses=1, scope="event")
    ShareLink.objects.filter(id=expired.link.id).update(expires_at=timezone.now() - timedelta(minutes=1))
    ShareLink.objects.filter(id=revoked.link.id).update(revoked_at=timezone.now())
    assert_error(guest_client().get(f"/api/v1/guest/{expired.token}/"), 410, "link_expired")
    assert_error(search(guest_client(), revoked.token, b"x"), 410, "link_revoked")
    first = guest_client("198.51.100.1")
    assert session_start(first, once.token).status_code == 201
    assert_error(session_start(guest_client("198.51.100.2"), once.token), 410, "link_exhausted")
    assert first.get(f"/api/v1/guest/{once.token}/photos").status_code == 200  # the guest already in stays in
    assert ShareLink.objects.get(id=once.link.id).use_count == 1


def test_revoking_ends_running_sessions(event):
    created = make_link(event)
    client = guest_client()
    session_start(client, created.token)
    ShareLink.objects.filter(id=created.link.id).update(revoked_at=timezone.now())
    assert_error(client.get(f"/api/v1/guest/{created.token}/photos"), 410, "link_revoked")


def test_consent_missing(event):
    created = make_link(event)
    assert_error(search(guest_client(), created.token, jpeg_bytes(), consent="false"), 400, "consent_required")
    assert_error(guest_client().post(f"/api/v1/guest/{created.token}/session", {}, format="json"), 400, "consent_required")
    assert GuestSession.objects.count() == 0 and GuestConsent.objects.count() == 0
    assert ShareLink.objects.get(id=created.link.id).use_count == 0


def test_wrong_pin_then_lockout_per_client(event, settings):
    created = make_link(event, pin="4821")
    client = guest_client("198.51.100.1")
    assert_error(session_start(client, created.token), 403, "pin_required")
    for attempt in range(4):
        assert_error(session_start(client, created.token, pin="0000"), 403, "pin_wrong")
    locked = session_start(client, created.token, pin="0000")
    assert_error(locked, 429, "pin_locked")
    assert int(locked["Retry-After"]) == 15 * 60
    assert_error(session_start(client, created.token, pin="4821"), 429, "pin_locked")  # even the right PIN, for now
    assert session_start(guest_client("198.51.100.2"), created.token, pin="4821").status_code == 201
    assert GuestSession.objects.count() == 1


def test_pin_lock_expires(event, settings):
    settings.VISAGE_PIN_LOCKOUT_SECONDS = 1
    created = make_link(event, pin="4821")
    client = guest_client()
    for attempt in range(5):
        session_start(client, created.token, pin="1111")
    assert session_start(client, created.token, pin="4821").status_code == 429
    time.sleep(1.1)
    assert session_start(client, created.token, pin="4821").status_code == 201


def test_brute_force_on_codes_is_rate_limited(event):
    created = make_link(event)
    attacker = guest_client("192.0.2.66")
    for guess in range(20):
        assert attacker.get(f"/api/v1/guest/ZZZZ{guess:04d}/").status_code == 404
    blocked = attacker.get(f"/api/v1/guest/{created.link.code}/")
    assert_error(blocked, 429, "rate_limited")  # even a right code, once blocked
    assert int(blocked["Retry-After"]) > 0
    assert guest_client("192.0.2.67").get(f"/api/v1/guest/{created.link.code}/").status_code == 200


def test_searches_are_rate_limited_per_client_and_junk_spends_no_link_budget(event, settings):
    settings.VISAGE_GUEST_SEARCHES_PER_CLIENT = (2, 60)
    settings.VISAGE_GUEST_SEARCHES_PER_LINK = (3, 60)
    created = make_link(event)
    client = guest_client("198.51.100.1")
    for attempt in range(2):
        assert search(client, created.token, b"not an image").status_code == 400
    assert_error(search(client, created.token, b"not an image"), 429, "rate_limited")
    # Junk from many addresses is refused for what it is and never uses up the link's budget
    # (the old code locked every real guest out after 3 here).
    for n in range(2, 12):
        assert search(guest_client(f"198.51.100.{n}"), created.token, b"not an image").status_code == 400


def test_link_budget_counts_real_searches(event, settings, face_pipeline):
    settings.VISAGE_GUEST_SEARCHES_PER_LINK = (3, 60)
    created = make_link(event)
    for n in range(3):
        assert search(guest_client(f"198.51.100.{n}"), created.token, read_face(AMY)).status_code == 200
    assert_error(search(guest_client("198.51.100.9"), created.token, read_face(AMY)), 429, "rate_limited")


@pytest.mark.parametrize("selfie,message", [
    (jpeg_bytes(320, 240), "couldn't find a face"),
    (b"%PDF-1.4 definitely not a photo", "not a photo we can read"),
    (None, "Add a selfie"),
])
def test_unusable_selfies(event, face_pipeline, selfie, message):
    client = guest_client()
    response = search(client, make_link(event).token, selfie)
    assert_error(response, 400, "selfie_rejected")
    assert message in response.json()["error"]["message"]
    assert client.cookies  # the session is kept, so the guest can try again without a new use


def test_huge_selfie(event, settings):
    settings.VISAGE_SELFIE_MAX_BYTES = 20_000
    response = search(guest_client(), make_link(event).token, read_face(AMY) + bytes(20_000))
    assert_error(response, 400, "selfie_rejected")
    assert "too large" in response.json()["error"]["message"]
