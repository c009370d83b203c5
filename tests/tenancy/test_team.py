"""The studio's team over the API and on its page, with two studios: alice owns A, bob photographs and
vera views in A, charlie owns B. Invitations are one-time, expiring set-password links (Django's tokens)
sent from Celery through a real SMTP server; the last owner stays; another studio's member is a 404."""
import re

import pytest
from django.test import Client

from core.access import role_may_assign
from core.tenancy.api_keys import api_key_create
from core.tenancy.models import Membership, Role, User
from core.tenancy.services import membership_add
from tests.factories import page_client
from tests.smtp_server import smtp_server  # noqa: F401 - fixture

MEMBERS = "/api/v1/studio/members/"
INVITE_LINK = re.compile(r"https?://[^/\s]+(/invitation/[^/\s]+/[^/\s]+/)")



# actor, the member's role now (None: not a member yet), the role asked for (None: removed) → allowed
ASSIGN_TABLE = [
    (Role.OWNER, None, Role.OWNER, True), (Role.OWNER, Role.OWNER, Role.ADMIN, True),
    (Role.OWNER, Role.PHOTOGRAPHER, None, True),
    (Role.ADMIN, None, Role.PHOTOGRAPHER, True), (Role.ADMIN, Role.VIEWER, Role.ADMIN, True),
    (Role.ADMIN, Role.ADMIN, None, True),
    (Role.ADMIN, None, Role.OWNER, False), (Role.ADMIN, Role.OWNER, Role.ADMIN, False), (Role.ADMIN, Role.OWNER, None, False),
    (Role.PHOTOGRAPHER, None, Role.VIEWER, False), (Role.PHOTOGRAPHER, Role.VIEWER, None, False),
    (Role.VIEWER, None, Role.VIEWER, False), (None, None, Role.VIEWER, False),
]


@pytest.mark.parametrize("actor,current,new,allowed", ASSIGN_TABLE)
def test_who_may_change_the_team(actor, current, new, allowed):
    assert role_may_assign(actor, current, new) is allowed


def test_every_member_lists_their_own_team_only(as_vera, as_charlie, bob, alice, studio_a):
    api_key_create(studio=studio_a, name="uploader", scope="upload", created_by=alice)  # a service account
    listed = as_vera.get(MEMBERS).json()
    assert {(m["email"], m["role"]) for m in listed} == {
        ("alice@a.example", "owner"), ("bob@a.example", "photographer"), ("vera@a.example", "viewer")}
    assert [m["email"] for m in as_charlie.get(MEMBERS).json()] == ["charlie@b.example"]


def test_an_owner_invites_a_second_shooter_who_sets_a_password_once(
        as_alice, studio_a, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(MEMBERS, {"email": "Sam@Shooters.example", "role": "photographer"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "sam@shooters.example" and response.json()["pending"] is True
    [mail] = smtp_server.to("sam@shooters.example")
    assert "Studio A" in mail["Subject"] and "as photographer" in smtp_server.body(mail)
    path = INVITE_LINK.search(smtp_server.body(mail)).group(1)

    client = Client()
    form = client.get(path, follow=True)
    assert "Join Studio A" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "sam-chooses-42x", "new_password2": "sam-chooses-42x"})
    assert done.status_code == 302
    assert Client().post("/login/", {"username": "sam@shooters.example", "password": "sam-chooses-42x"}).status_code == 302
    assert "This link has been used or has expired" in Client().get(path, follow=True).content.decode()
    assert Membership.objects.get(studio=studio_a, user__email="sam@shooters.example").role == Role.PHOTOGRAPHER


def test_an_expired_invitation_does_not_work(as_alice, settings, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(MEMBERS, {"email": "late@x.example", "role": "viewer"}, format="json")
    path = INVITE_LINK.search(mailoutbox[0].body).group(1)
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is past its age
    assert "This link has been used or has expired" in Client().get(path, follow=True).content.decode()


def test_an_existing_account_is_added_and_told_to_sign_in(as_alice, studio_a, charlie, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(MEMBERS, {"email": "charlie@b.example", "role": "viewer"}, format="json")
    assert response.status_code == 201 and response.json()["pending"] is False
    assert "/login/" in mailoutbox[0].body and "/invitation/" not in mailoutbox[0].body
    again = as_alice.post(MEMBERS, {"email": "charlie@b.example", "role": "viewer"}, format="json")
    assert again.status_code == 400 and "already in this studio" in again.json()["error"]["message"]


@pytest.mark.parametrize("who,status", [("as_bob", 403), ("as_vera", 403)])
def test_photographers_and_viewers_cannot_invite(who, status, request, studio_a, mailoutbox):
    response = request.getfixturevalue(who).post(MEMBERS, {"email": "x@x.example", "role": "viewer"}, format="json")
    assert response.status_code == status and not User.objects.filter(email="x@x.example").exists()
    assert mailoutbox == []


def test_an_admin_cannot_make_an_owner(studio_a, bob, alice, mailoutbox):
    admin = membership_add(studio=studio_a, email="adm@a.example", password="pw-adm-12345", role=Role.ADMIN).user
    from tests.factories import client_for

    as_admin = client_for(admin)
    assert as_admin.post(MEMBERS, {"email": "o@x.example", "role": "owner"}, format="json").status_code == 403
    assert as_admin.patch(f"{MEMBERS}{bob.id}/", {"role": "owner"}, format="json").status_code == 403
    assert as_admin.delete(f"{MEMBERS}{alice.id}/").status_code == 403
    changed = as_admin.patch(f"{MEMBERS}{bob.id}/", {"role": "viewer"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "viewer"


def test_the_last_owner_can_neither_step_down_nor_be_removed(as_alice, alice, studio_a, bob):
    demote = as_alice.patch(f"{MEMBERS}{alice.id}/", {"role": "admin"}, format="json")
    assert demote.status_code == 409 and demote.json()["error"]["code"] == "last_owner"
    assert as_alice.delete(f"{MEMBERS}{alice.id}/").status_code == 409
    assert as_alice.patch(f"{MEMBERS}{bob.id}/", {"role": "owner"}, format="json").status_code == 200
    assert as_alice.patch(f"{MEMBERS}{alice.id}/", {"role": "admin"}, format="json").status_code == 200


def test_removing_a_member_ends_their_access_and_their_keys(as_alice, bob, studio_a):
    created = api_key_create(studio=studio_a, name="bob's uploader", scope="upload", created_by=bob)
    assert as_alice.delete(f"{MEMBERS}{bob.id}/").status_code == 204
    assert not Membership.objects.filter(studio=studio_a, user=bob).exists()
    created.api_key.refresh_from_db()
    assert created.api_key.revoked_at is not None


def test_another_studios_member_is_a_404(as_charlie, bob, as_alice, charlie):
    assert as_charlie.patch(f"{MEMBERS}{bob.id}/", {"role": "viewer"}, format="json").status_code == 404
    assert as_charlie.delete(f"{MEMBERS}{bob.id}/").status_code == 404
    assert as_alice.delete(f"{MEMBERS}{charlie.id}/").status_code == 404
    assert Membership.objects.filter(user=bob).exists() and Membership.objects.filter(user=charlie).exists()


def test_api_keys_never_manage_the_team(studio_a, alice):
    from rest_framework.test import APIClient

    key = api_key_create(studio=studio_a, name="full", scope="full", created_by=alice).key
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.post(MEMBERS, {"email": "k@x.example", "role": "viewer"}, format="json").status_code == 403
    assert client.get(MEMBERS).status_code == 403


def test_the_team_page_invites_changes_and_removes(alice, bob, vera, studio_a, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    page = page_client(alice)
    listing = page.get("/studio/team/").content.decode()
    assert "bob@a.example" in listing and "Send invitation" in listing
    with django_capture_on_commit_callbacks(execute=True):
        invited = page.post("/studio/team/", {"email": "sam@x.example", "role": "photographer"}, follow=True)
    assert "Invitation sent to sam@x.example" in invited.content.decode() and len(mailoutbox) == 1
    bad = page.post("/studio/team/", {"email": "not-an-address", "role": "photographer"})
    assert bad.status_code == 400 and "Enter a whole email address" in bad.content.decode()
    page.post(f"/studio/team/{bob.id}/role/", {"role": "admin"})
    assert Membership.objects.get(studio=studio_a, user=bob).role == Role.ADMIN
    page.post(f"/studio/team/{vera.id}/remove/")
    assert not Membership.objects.filter(studio=studio_a, user=vera).exists()
    refused = page.post(f"/studio/team/{alice.id}/remove/", follow=True).content.decode()
    assert "at least one owner" in refused


def test_a_viewer_sees_the_team_but_cannot_change_it(vera, bob, studio_a):
    page = page_client(vera)
    listing = page.get("/studio/team/").content.decode()
    assert "bob@a.example" in listing and "Send invitation" not in listing
    page.post(f"/studio/team/{bob.id}/remove/")
    assert Membership.objects.filter(studio=studio_a, user=bob).exists()


def test_the_team_page_of_another_studio_is_not_reachable(charlie, bob):
    page = page_client(charlie)
    assert page.post(f"/studio/team/{bob.id}/remove/").status_code == 404
    assert "bob@a.example" not in page.get("/studio/team/").content.decode()
