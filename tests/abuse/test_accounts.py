"""Accounts: sign-in throttling, tokens that expire and die with a password change, and a
deleted studio that leaves no working login behind.

Before: 90 wrong passwords and then the right one worked; API tokens never expired and
survived a password change; delete_studio left member accounts and tokens working.
"""
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.abuse.conftest import assert_error
from core.authentication import token_issue
from core.tenancy.models import Role, User
from core.tenancy.services import membership_add


def token_login(password: str, ip: str = "198.51.100.5", email: str = "alice@a.example"):
    return APIClient(REMOTE_ADDR=ip).post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def test_api_login_is_throttled_per_account_even_across_addresses(alice):
    for n in range(10):
        assert_error(token_login("wrong", ip=f"198.51.100.{n}"), 400, "wrong_credentials")
    locked = token_login("pw-alice-123", ip="198.51.100.200")
    assert_error(locked, 429, "rate_limited")  # before: 200 and a token
    assert int(locked["Retry-After"]) > 0


def test_api_login_is_throttled_per_client_across_accounts(alice, settings):
    settings.VISAGE_LOGIN_FAILURES_PER_CLIENT = (5, 900)
    for n in range(5):
        token_login("wrong", email=f"nobody{n}@a.example")
    assert_error(token_login("pw-alice-123"), 429, "rate_limited")


def test_right_passwords_never_lock_anyone_out(alice):
    for _ in range(30):
        assert token_login("pw-alice-123").status_code == 200


def test_web_login_is_throttled(alice, client):
    for _ in range(10):
        client.post("/login/", {"username": "alice@a.example", "password": "wrong"})
    page = client.post("/login/", {"username": "alice@a.example", "password": "pw-alice-123"})
    assert page.status_code == 200 and b"Too many sign-in attempts" in page.content
    assert "_auth_user_id" not in client.session


def api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_tokens_expire(alice, settings):
    key = token_login("pw-alice-123").json()["token"]
    assert api(key).get("/api/v1/events/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(seconds=settings.VISAGE_API_TOKEN_SECONDS + 1))
    assert_error(api(key).get("/api/v1/events/"), 401, "not_authenticated")
    fresh = token_login("pw-alice-123").json()["token"]
    assert fresh != key and api(fresh).get("/api/v1/events/").status_code == 200


def test_a_password_change_ends_every_token(alice):
    key = token_issue(user=alice).key
    alice.set_password("a-new-long-password-1")
    alice.save()
    assert_error(api(key).get("/api/v1/events/"), 401, "not_authenticated")


def test_tokens_rotate(alice):
    old = token_issue(user=alice).key
    new = api(old).post("/api/v1/auth/token/rotate/").json()["token"]
    assert new != old
    assert api(old).get("/api/v1/events/").status_code == 401
    assert api(new).get("/api/v1/events/").status_code == 200


def test_deleting_a_studio_leaves_no_working_login_of_its_own(studio_a, studio_b, alice, bob, charlie):
    both = membership_add(studio=studio_b, email="bob@a.example", password=None, role=Role.VIEWER).user
    assert both == bob  # bob also works for studio B
    only_a = membership_add(studio=studio_a, email="vic@a.example", password="pw-vic-123", role=Role.VIEWER).user
    keys = {user.email: token_issue(user=user).key for user in (alice, bob, only_a, charlie)}
    call_command("delete_studio", studio_a.slug, "--yes")
    for email in ("alice@a.example", "vic@a.example"):
        user = User.objects.get(email=email)
        assert not user.is_active and not user.has_usable_password()
        assert api(keys[email]).get("/api/v1/events/").status_code == 401
    assert api(keys["bob@a.example"]).get("/api/v1/events/").status_code == 200  # still in studio B
    assert User.objects.get(email="charlie@b.example").is_active
