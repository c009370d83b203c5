"""Managing share links: create (token once), list, update, revoke, printables; two studios."""
import hashlib
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from events.services import event_create
from recognition.models import Person
from sharing import codes
from sharing.models import ShareLink
from tests.sharing.conftest import guest_client


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Ana & Ben")


def create(client, event, **data):
    return client.post(f"/api/v1/events/{event.id}/share-links/", data, format="json")


def test_create_answers_token_once(as_alice, event):
    expires = (timezone.now() + timedelta(days=7)).isoformat()
    response = create(as_alice, event, scope="selfie", expires_at=expires, pin="4821", max_uses=50, allow_download=True)
    assert response.status_code == 201, response.content
    body = response.json()
    token = body["token"]
    assert len(token) >= 22 and body["url"] == f"http://testserver/s/{token}"  # >= 128 bits, URL-safe
    link = ShareLink.objects.get(id=body["id"])
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ShareLink.objects.filter(id=link.id).values().first())
    assert link.pin_hash != "4821" and body["has_pin"] is True
    assert (body["scope"], body["max_uses"], body["allow_download"], body["state"]) == ("selfie", 50, "originals", "active")
    assert body["qr_png_url"] == f"/api/v1/events/{event.id}/share-links/{link.id}/qr.png"
    assert body["barcode_png_url"] == f"/api/v1/events/{event.id}/share-links/{link.id}/barcode.png"
    listed = as_alice.get(f"/api/v1/events/{event.id}/share-links/").json()["results"]
    assert [item["id"] for item in listed] == [link.id]
    assert "token" not in listed[0] and "url" not in listed[0]
    assert as_alice.get(f"/api/v1/events/{event.id}/share-links/{link.id}/").json()["code"] == codes.format_code(link.code)


def test_printables(as_alice, event):
    body = create(as_alice, event, allow_download="previews").json()
    qr = as_alice.get(body["qr_png_url"])
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    assert qr.content == codes.qr_png(body["url"])  # the stored QR encodes exactly the token URL
    svg = as_alice.get(body["qr_svg_url"])
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.lstrip().startswith(b"<?xml")
    barcode = Image.open(io.BytesIO(as_alice.get(body["barcode_png_url"]).content))
    assert barcode.format == "PNG" and barcode.width > barcode.height
    card = Image.open(io.BytesIO(as_alice.get(body["card_png_url"]).content))
    assert card.size == codes.CARD_SIZE
    assert as_alice.get(f"/api/v1/events/{event.id}/share-links/{body['id']}/secrets.txt").status_code == 404


def test_update_and_revoke(as_alice, event):
    body = create(as_alice, event, pin="1234").json()
    url = f"/api/v1/events/{event.id}/share-links/{body['id']}/"
    changed = as_alice.patch(url, {"pin": "", "allow_download": "none", "max_uses": 3, "watermark": True}, format="json").json()
    assert (changed["has_pin"], changed["allow_download"], changed["max_uses"], changed["watermark"]) == (False, "none", 3, True)
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert as_alice.patch(url, {"expires_at": past}, format="json").status_code == 400
    assert as_alice.patch(url, {"pin": "12"}, format="json").status_code == 400  # 4-8 digits
    revoked = as_alice.post(f"{url}revoke/").json()
    assert revoked["state"] == "revoked" and revoked["qr_png_url"] is None
    assert as_alice.get(body["qr_png_url"]).status_code == 404  # the QR carried the token: gone
    assert guest_client().get(f"/api/v1/guest/{body['token']}/").status_code == 410
    assert as_alice.patch(url, {"label": "again"}, format="json").status_code == 400


def test_input_is_validated(as_alice, event, studio_a, alice):
    assert create(as_alice, event, scope="person").status_code == 400  # a person link needs a person
    other = event_create(studio=studio_a, user=alice, name="Other")
    stranger = Person.objects.create(studio=studio_a, event=other)
    assert create(as_alice, event, scope="person", person=stranger.id).status_code == 400
    ours = Person.objects.create(studio=studio_a, event=event)
    assert create(as_alice, event, scope="person", person=ours.id).status_code == 201
    assert create(as_alice, event, allow_download="sometimes").status_code == 400
    assert create(as_alice, event, max_uses=0).status_code == 400
    assert create(as_alice, event, expires_at=(timezone.now() - timedelta(hours=1)).isoformat()).status_code == 400


def endpoints(event, link_id):
    base = f"/api/v1/events/{event.id}/share-links/"
    return [
        ("get", base, None), ("post", base, {"scope": "selfie"}), ("get", f"{base}{link_id}/", None),
        ("patch", f"{base}{link_id}/", {"label": "x"}), ("get", f"{base}{link_id}/qr.png", None),
        ("get", f"{base}{link_id}/qr.svg", None), ("get", f"{base}{link_id}/barcode.png", None),
        ("get", f"{base}{link_id}/card.png", None), ("post", f"{base}{link_id}/revoke/", None),
    ]


def call(client, method, url, data):
    return getattr(client, method)(url, data, format="json") if data is not None else getattr(client, method)(url)


def test_outsider_gets_404_everywhere(as_alice, as_charlie, event):
    link_id = create(as_alice, event).json()["id"]
    for method, url, data in endpoints(event, link_id):
        assert call(as_charlie, method, url, data).status_code == 404, (method, url)
    assert ShareLink.objects.get(id=link_id).revoked_at is None


def test_outsiders_own_event_does_not_reach_our_links(as_alice, as_charlie, charlie, studio_b, event):
    link_id = create(as_alice, event).json()["id"]
    theirs = event_create(studio=studio_b, user=charlie, name="B's party")
    assert as_charlie.get(f"/api/v1/events/{theirs.id}/share-links/{link_id}/").status_code == 404
    assert as_charlie.post(f"/api/v1/events/{theirs.id}/share-links/{link_id}/revoke/").status_code == 404


def test_viewer_is_refused_and_photographer_manages(as_alice, as_vera, as_bob, event):
    link_id = create(as_alice, event).json()["id"]
    for method, url, data in endpoints(event, link_id):
        assert call(as_vera, method, url, data).status_code == 403, (method, url)
    for method, url, data in endpoints(event, link_id):
        assert call(as_bob, method, url, data).status_code in (200, 201), (method, url)


def test_anonymous_is_refused(client, event):
    assert client.get(f"/api/v1/events/{event.id}/share-links/").status_code in (401, 403)


def test_studio_retention_policy(as_alice, as_bob, as_charlie):
    assert as_alice.get("/api/v1/studio/sharing-policy/").json() == {"retention_days": 90}
    assert as_alice.patch("/api/v1/studio/sharing-policy/", {"retention_days": 30}, format="json").json() == {"retention_days": 30}
    assert as_bob.patch("/api/v1/studio/sharing-policy/", {"retention_days": 5}, format="json").status_code == 403
    assert as_bob.get("/api/v1/studio/sharing-policy/").json() == {"retention_days": 30}
    assert as_charlie.get("/api/v1/studio/sharing-policy/").json() == {"retention_days": 90}  # their own studio
