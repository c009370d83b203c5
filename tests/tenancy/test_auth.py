import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from core.tenancy.models import Membership, Role, Studio


def test_token_with_email_and_password(alice):
    response = APIClient().post("/api/v1/auth/token/", {"email": "alice@a.example", "password": "pw-alice-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/events/").status_code == 200


def test_token_accepts_username_key_and_any_email_case(alice):
    response = APIClient().post("/api/v1/auth/token/", {"username": "Alice@A.example", "password": "pw-alice-123"})
    assert response.status_code == 200


def test_wrong_password_gets_no_token(alice):
    response = APIClient().post("/api/v1/auth/token/", {"email": "alice@a.example", "password": "nope"})
    assert response.status_code == 400
    assert "token" not in response.json()


@pytest.mark.parametrize("header", [None, "Token not-a-real-token"])
def test_missing_or_bad_token_is_401(db, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/events/")
    assert response.status_code == 401


def test_create_studio_command(db, capsys):
    call_command("create_studio", "Lumen Weddings", "--owner", "Owner@Lumen.example", "--password", "s3cret-pass")
    studio = Studio.objects.get(name="Lumen Weddings")
    membership = Membership.objects.get(studio=studio)
    assert membership.role == Role.OWNER and membership.user.email == "owner@lumen.example"
    assert membership.user.check_password("s3cret-pass")
    assert "Lumen Weddings" in capsys.readouterr().out


def test_create_studio_rejects_bad_email(db):
    with pytest.raises(CommandError, match="not a valid email"):
        call_command("create_studio", "X", "--owner", "not-an-email", "--password", "pw")
    assert not Studio.objects.exists()
