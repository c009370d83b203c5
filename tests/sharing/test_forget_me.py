""""Forget me", step two (issue #20): a guest hides a person from themselves only, until the
studio confirms; the studio is told at once; events may opt into hiding at once after a second,
matching selfie.

Before: a guest who searched with a photo of Amy and pressed "forget me" hid her at once from
every other guest's search and from her person-album link, and the studio was not told.
"""
import json

import pytest
from django.core import mail
from django.test import Client as PageClient

from core.tenancy.models import Role, User
from core.tenancy.services import membership_add
from recognition.models import Face
from sharing.models import RemovalRequest, RemovalState, Scope
from tests.factories import client_for
from tests.http_receiver import receiver  # noqa: F401 - the loopback webhook receiver fixture
from tests.sharing.conftest import guest_client, make_link, read_face, search
from webhooks.services import webhook_create
from webhooks.signing import signature_valid

AMY_SELFIE, AMY_AGAIN, AMY_OTHER = (f"bbt/people/amy/amy{i}.png" for i in (1, 2, 3))
PENNY = "bbt/people/penny/penny1.png"
AMY_PHOTOS = {"amy2.png", "amy3.png", "amy4.png", "amy5.png", "bbt4.jpg"}


def amy_photos_found(bbt, client, token, selfie=AMY_AGAIN) -> set[str]:
    response = search(client, token, read_face(selfie))
    assert response.status_code == 200, response.content
    by_id = {photo_id: name for name, photo_id in bbt.photo_ids.items()}
    return {by_id[m["photo_id"]] for m in response.json()["matches"]} & AMY_PHOTOS


def forget(client, token, capture) -> dict:
    with capture(execute=True):
        response = client.post(f"/api/v1/guest/{token}/forget")
    assert response.status_code == 200, response.content
    return response.json()


def owner_of(bbt) -> User:
    return User.objects.get(id=bbt.owner_id)


def test_until_the_studio_confirms_only_the_requester_stops_finding_the_person(
        db, bbt, django_capture_on_commit_callbacks):
    created = make_link(bbt.event)
    requester, other = guest_client("198.51.100.10"), guest_client("198.51.100.11")
    assert amy_photos_found(bbt, requester, created.token, AMY_SELFIE) == AMY_PHOTOS
    body = forget(requester, created.token, django_capture_on_commit_callbacks)
    assert body["request_state"] == "pending" and body["hidden_for_everyone"] is False and body["faces_hidden"] > 0
    removal = RemovalRequest.objects.get(event_id=bbt.event_id)
    assert not Face.objects.filter(id__in=removal.face_ids, guest_excluded=True).exists()

    assert amy_photos_found(bbt, other, created.token) == AMY_PHOTOS  # before: set()
    assert amy_photos_found(bbt, requester, created.token) == set()  # a new visit from the same phone
    amy = Face.objects.get(id=removal.face_ids[0]).person
    album = make_link(bbt.event, scope=Scope.PERSON, person=amy)
    for guest, expected in ((guest_client("198.51.100.12"), True), (requester, False)):
        guest.post(f"/api/v1/guest/{album.token}/session", {"consent": True}, format="json")
        listed = guest.get(f"/api/v1/guest/{album.token}/photos").json()["photos"]
        assert bool(listed) is expected  # the studio's person album: still there for others, not the requester

    with django_capture_on_commit_callbacks(execute=True):  # the search index is invalidated on commit
        decided = client_for(owner_of(bbt)).post(
            f"/api/v1/events/{bbt.event_id}/removal-requests/{removal.id}/confirm/")
    assert decided.status_code == 200 and decided.json()["hidden_for_everyone"] is True
    assert amy_photos_found(bbt, other, created.token) == set()
    assert amy_photos_found(bbt, guest_client("198.51.100.13"), created.token) == set()
    assert amy_photos_found(bbt, requester, created.token) == set()


def test_the_studio_is_told_at_once_by_count_email_to_owners_and_signed_webhook(
        db, bbt, receiver, studio_b, charlie, django_capture_on_commit_callbacks):  # noqa: F811
    owner = owner_of(bbt)
    studio = bbt.event.studio
    co_owner = membership_add(studio=studio, email="co@lumen.example", password="pw-co-123", role=Role.OWNER).user
    membership_add(studio=studio, email="shooter@lumen.example", password="pw-sh-123", role=Role.PHOTOGRAPHER)
    membership_add(studio=studio, email="viewer@lumen.example", password="pw-vi-123", role=Role.VIEWER)
    hook = webhook_create(studio=studio, user=owner, url=receiver.url, events=["removal.requested"])
    webhook_create(studio=studio_b, user=charlie, url=receiver.url, events=["removal.requested"])
    created = make_link(bbt.event)
    guest = guest_client()
    search(guest, created.token, read_face(AMY_SELFIE))
    mail.outbox.clear()
    forget(guest, created.token, django_capture_on_commit_callbacks)
    removal = RemovalRequest.objects.get(event_id=bbt.event_id)

    (message,) = mail.outbox
    assert sorted(message.to) == sorted([owner.email, co_owner.email])  # owners only: no photographer, viewer
    assert bbt.event.name in message.subject and f"/events/{bbt.event_id}/removal-requests/" in message.body

    (received,) = receiver.requests  # the other studio's webhook hears nothing
    headers = received.headers
    assert headers["x-visage-event"] == "removal.requested"
    assert signature_valid(secret=hook.secret, timestamp=int(headers["x-visage-timestamp"]), body=received.body,
                           header=headers["x-visage-signature"])
    assert json.loads(received.body)["data"] == {"event_id": bbt.event_id, "removal_request_id": removal.id,
                                                 "face_count": len(removal.face_ids), "pending": 1}
    for leaked in ("198.51", "pytest-guest", created.token, "face_ids"):
        assert leaked not in received.body.decode()

    api = client_for(owner)
    assert api.get(f"/api/v1/events/{bbt.event_id}/").json()["counters"]["removal_requests_pending"] == 1
    page = PageClient()
    page.force_login(owner)
    assert b'data-removals-pending="1"' in page.get("/").content  # the dashboard card
    assert b'data-removals-pending="1"' in page.get(f"/events/{bbt.event_id}/removal-requests/").content
    assert client_for(charlie).get(f"/api/v1/events/{bbt.event_id}/").status_code == 404


@pytest.fixture
def hide_at_once(bbt):
    response = client_for(owner_of(bbt)).patch(f"/api/v1/events/{bbt.event_id}/removal-policy/",
                                               {"hide_at_once": True}, format="json")
    assert response.status_code == 200 and response.json() == {"hide_at_once": True}


def verify(client, token, secret, selfie):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/api/v1/guest/{token}/forget/verify", {
        "consent": "true", "verify_token": secret, "selfie": SimpleUploadedFile("new.png", read_face(selfie))},
        format="multipart")


def test_opt_in_hides_from_everyone_only_after_a_fresh_matching_selfie(
        db, bbt, hide_at_once, django_capture_on_commit_callbacks):
    created = make_link(bbt.event)
    requester, other = guest_client("198.51.100.20"), guest_client("198.51.100.21")
    search(requester, created.token, read_face(AMY_SELFIE))
    secret = forget(requester, created.token, django_capture_on_commit_callbacks)["verify_token"]
    assert secret

    mismatch = verify(requester, created.token, secret, PENNY)
    assert mismatch.status_code == 403 and mismatch.json()["error"]["code"] == "selfie_mismatch"
    assert amy_photos_found(bbt, other, created.token) == AMY_PHOTOS  # still found by others
    same = verify(requester, created.token, secret, AMY_SELFIE)
    assert same.status_code == 400 and same.json()["error"]["code"] == "selfie_not_fresh"
    stranger = verify(guest_client("198.51.100.22"), created.token, secret, AMY_OTHER)  # the token from another phone
    assert stranger.status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        passed = verify(requester, created.token, secret, AMY_OTHER)
    assert passed.status_code == 200 and passed.json()["hidden_for_everyone"] is True
    removal = RemovalRequest.objects.get(event_id=bbt.event_id)
    assert removal.state == RemovalState.PENDING and removal.verified_at is not None
    assert [entry.action for entry in removal.log.all()] == ["filed", "verify_failed", "verified"]
    assert amy_photos_found(bbt, other, created.token) == set()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner_of(bbt)).post(f"/api/v1/events/{bbt.event_id}/removal-requests/{removal.id}/reject/")
    assert amy_photos_found(bbt, other, created.token) == AMY_PHOTOS  # rejected: back for everyone


def test_without_the_opt_in_there_is_no_second_selfie_path(db, bbt, django_capture_on_commit_callbacks):
    created = make_link(bbt.event)
    requester = guest_client("198.51.100.30")
    search(requester, created.token, read_face(AMY_SELFIE))
    assert forget(requester, created.token, django_capture_on_commit_callbacks)["verify_token"] is None
    assert verify(requester, created.token, "guess", AMY_OTHER).status_code == 404


def test_only_the_studio_sets_the_policy(db, bbt, studio_b, charlie):
    url = f"/api/v1/events/{bbt.event_id}/removal-policy/"
    assert client_for(charlie).patch(url, {"hide_at_once": True}, format="json").status_code == 404
    assert client_for(owner_of(bbt)).get(url).json() == {"hide_at_once": False}
