"""Sign-in throttling slows whoever guesses without locking the owner out.

Before: 10 wrong passwords from anywhere locked the account for 15 minutes, for its owner too
(with the right password, from any address); the lockout was the same 900 s whatever happened.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from core import ratelimit
from tests.concurrency import at_once

OWNER_PASSWORD = "pw-alice-123"
ATTACKER, OWNER_HOME, OWNER_TRAVELLING = "203.0.113.66", "198.51.100.7", "192.0.2.44"


def sign_in(ip: str, password: str, email: str = "alice@a.example"):
    return APIClient(REMOTE_ADDR=ip).post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def guess(clock, ip: str, times: int, *, patient: bool = True, email: str = "alice@a.example") -> list[int]:
    """`times` wrong passwords from `ip`, waiting out each Retry-After when patient; the waits seen."""
    waits = []
    for _ in range(times):
        answer = sign_in(ip, "wrong", email=email)
        while answer.status_code == 429 and patient:
            waits.append(int(answer["Retry-After"]))
            clock.now += int(answer["Retry-After"])
            answer = sign_in(ip, "wrong", email=email)
        assert answer.status_code in (400, 429)
    return waits


@pytest.mark.parametrize("failures", [10, 30, 60])
@pytest.mark.parametrize("owner_from", ["another address", "a known address"])
def test_an_attacker_never_locks_the_owner_out(alice, clock, failures, owner_from):
    """Attacker X fails N times (waiting out every delay); the owner signs in at once from Y."""
    if owner_from == "a known address":
        assert sign_in(OWNER_HOME, OWNER_PASSWORD).status_code == 200
    guess(clock, ATTACKER, failures)
    address = OWNER_HOME if owner_from == "a known address" else OWNER_TRAVELLING
    assert sign_in(address, OWNER_PASSWORD).status_code == 200
    assert sign_in(ATTACKER, OWNER_PASSWORD).status_code == 429  # the attacker's address waits, right password or not


def test_the_attacker_waits_longer_after_each_failure(alice, clock):
    answers, waits = [], []
    for _ in range(40):
        answer = sign_in(ATTACKER, "wrong")
        answers.append(answer.status_code)
        if answer.status_code == 429:
            waits.append(int(answer["Retry-After"]))
            clock.now += waits[-1]
    assert answers[:6] == [400, 400, 400, 400, 400, 429]  # 5 free failures, then the first wait
    # 2, 4, 8 … seconds (Retry-After rounds up), doubling until the 15-minute cap
    assert waits[:4] == [3, 5, 9, 17]
    capped = waits.index(901)
    assert all(later > earlier for earlier, later in zip(waits[:capped], waits[1:capped + 1]))
    assert set(waits[capped:]) == {901} and len(waits[capped:]) > 5


def test_a_waiting_client_gets_429_without_its_password_being_checked(alice, clock, django_assert_max_num_queries):
    guess(clock, ATTACKER, 8, patient=True)
    refused = sign_in(ATTACKER, OWNER_PASSWORD)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    clock.now += int(refused["Retry-After"])
    assert sign_in(ATTACKER, OWNER_PASSWORD).status_code == 200  # after the wait, a right password works
    assert sign_in(ATTACKER, "wrong").status_code == 400  # and the failures were cleared


def test_guessing_stays_impractical_from_one_address(alice, clock):
    """A day of guessing from one address, waiting out every delay: about a hundred guesses."""
    start, made = clock.now, 0
    while clock.now - start < 86400:
        answer = sign_in(ATTACKER, "wrong")
        if answer.status_code == 429:
            clock.now += int(answer["Retry-After"])
        else:
            made += 1
    assert 90 <= made <= 120, made


def test_a_distributed_guess_stops_unknown_clients_but_not_known_ones(alice, clock):
    assert sign_in(OWNER_HOME, OWNER_PASSWORD).status_code == 200
    for n in range(5):  # five addresses, two free guesses each: the account's cap of 10
        guess(clock, f"203.0.113.{n}", 2, patient=False)
    blocked = sign_in(OWNER_TRAVELLING, OWNER_PASSWORD)
    assert blocked.status_code == 429 and 0 < int(blocked["Retry-After"]) <= 901
    assert sign_in("203.0.113.99", "wrong").status_code == 429  # a new attacking address too
    assert sign_in(OWNER_HOME, OWNER_PASSWORD).status_code == 200  # the owner's known address is not
    clock.now += int(blocked["Retry-After"])
    assert sign_in(OWNER_TRAVELLING, OWNER_PASSWORD).status_code == 200  # and the window ends


def test_one_address_spraying_accounts_is_stopped(alice, clock, settings):
    settings.VISAGE_LOGIN_FAILURES_PER_CLIENT = (5, 900)
    for n in range(5):
        guess(clock, ATTACKER, 1, email=f"nobody{n}@a.example")
    assert sign_in(ATTACKER, "wrong", email="nobody9@a.example").status_code == 429
    assert sign_in(OWNER_TRAVELLING, OWNER_PASSWORD).status_code == 200


def test_the_web_form_says_how_long_to_wait(alice, clock, client):
    for _ in range(6):
        client.post("/login/", {"username": "alice@a.example", "password": "wrong"}, REMOTE_ADDR=ATTACKER)
    page = client.post("/login/", {"username": "alice@a.example", "password": OWNER_PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert b"Too many sign-in attempts" in page.content and b"seconds" in page.content
    assert "_auth_user_id" not in client.session
    other = APIClient(REMOTE_ADDR=OWNER_TRAVELLING).post("/login/", {"username": "alice@a.example",
                                                                    "password": OWNER_PASSWORD})
    assert other.status_code == 302  # signed in from elsewhere


def test_the_login_settings_are_read_from_the_environment():
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(["
            "s.VISAGE_LOGIN_FREE_FAILURES, s.VISAGE_LOGIN_BACKOFF_FIRST_SECONDS, s.VISAGE_LOGIN_BACKOFF_MAX_SECONDS, "
            "s.VISAGE_LOGIN_BACKOFF_RESET_SECONDS, s.VISAGE_LOGIN_FAILURES_PER_ACCOUNT, s.VISAGE_LOGIN_KNOWN_CLIENT_DAYS, "
            "s.VISAGE_LOGIN_FAILURES_PER_CLIENT]))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VISAGE_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="visage.settings.production", DJANGO_SECRET_KEY="x" * 50,
               VISAGE_MASTER_KEYS="k1:x", VISAGE_LOGIN_FREE_FAILURES="3", VISAGE_LOGIN_BACKOFF_FIRST_SECONDS="5",
               VISAGE_LOGIN_BACKOFF_MAX_SECONDS="600", VISAGE_LOGIN_BACKOFF_RESET_SECONDS="3600",
               VISAGE_LOGIN_FAILURES_PER_ACCOUNT="20", VISAGE_LOGIN_KNOWN_CLIENT_DAYS="7",
               VISAGE_LOGIN_FAILURES_PER_CLIENT="40")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).parents[2])
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [3, 5, 600, 3600, [20, 900], 7, [40, 900]]


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_share_a_slot():
    """20 guesses at once from one address: the 5 free ones pass, the 15 others wait (compare-and-set claims)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL, as CI runs)")
    backoff = ratelimit.Backoff(free=5, first=2, longest=900, memory=86400)
    outcomes = at_once(lambda: ratelimit.backoff_claim(key="login:pair:test", backoff=backoff), times=20,
                       refused=ratelimit.Throttled)
    assert sorted(o for o in outcomes if isinstance(o, int)) == [1, 2, 3, 4, 5]
    assert sum(isinstance(o, ratelimit.Throttled) for o in outcomes) == 15
