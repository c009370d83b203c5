"""core/logins.py's counts: every failure within a client's free allowance counts toward the
account's cap (the last free one too), and a right password makes its client known for exactly
VISAGE_LOGIN_KNOWN_CLIENT_DAYS."""
from rest_framework.test import APIClient

from core.tenancy.models import RateCounter

OWNER_PASSWORD = "pw-alice-123"


def sign_in(ip: str, password: str):
    return APIClient(REMOTE_ADDR=ip).post("/api/v1/auth/token/", {"email": "alice@a.example", "password": password},
                                          format="json")


def test_the_last_free_failure_counts_toward_the_account_cap(alice, clock, settings):
    settings.VISAGE_LOGIN_FREE_FAILURES = 5
    settings.VISAGE_LOGIN_FAILURES_PER_ACCOUNT = (5, 900)
    assert [sign_in("203.0.113.66", "wrong").status_code for _ in range(5)] == [400] * 5  # all five free
    assert sign_in("192.0.2.44", OWNER_PASSWORD).status_code == 429  # an unknown client waits for the window


def test_a_right_password_makes_its_client_known_for_the_configured_days(alice, clock, settings):
    settings.VISAGE_LOGIN_KNOWN_CLIENT_DAYS = 3
    assert sign_in("198.51.100.7", OWNER_PASSWORD).status_code == 200
    known = RateCounter.objects.get(bucket__startswith="login:known:")
    assert known.expires_at == clock.now + 3 * 86400
