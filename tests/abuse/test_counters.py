"""Limits that hold under parallel requests and rotating addresses.

Before: a PIN attempt was counted only after its hash was checked, so 40 parallel wrong PINs
from one address got 29 checks and the right PIN was then accepted; the lockout was per
address only, so rotating addresses found a 4-digit PIN in 151 tries; the file cache's
counters were a get + set (357 searches passed a limit of 300).
"""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from sharing.clients import Client
from sharing.errors import PinLocked, PinWrong
from sharing.models import ShareLink
from sharing.services import access
from tests.abuse.conftest import make_link, on_postgres
from core import ratelimit
from core.tenancy.models import RateCounter


def client(n: int) -> Client:
    return Client(ip_hash=f"client-{n}", user_agent="pytest")


class CountingCheck:
    """Wraps check_password: counts the hashes checked; optionally fires more attempts while the
    first one is being checked (what 40 parallel requests do to a check-then-count limit)."""

    def __init__(self, real, on_first=None):
        self.real, self.on_first, self.calls, self.lock = real, on_first, 0, threading.Lock()

    def __call__(self, pin, encoded):
        with self.lock:
            self.calls += 1
            first = self.calls == 1
        if first and self.on_first:
            self.on_first()
        return self.real(pin, encoded)


def attempt(link: ShareLink, pin: str, who: Client) -> str:
    try:
        access.guest_pin_verify(link=link, pin=pin, client=who)
        return "ok"
    except PinWrong:
        return "wrong"
    except PinLocked:
        return "locked"


def test_parallel_wrong_pins_get_at_most_the_limit_checked(event, monkeypatch):
    link = make_link(event, pin="4821").link
    outcomes = []
    checker = CountingCheck(access.check_password,
                            on_first=lambda: outcomes.extend(attempt(link, "0000", client(1)) for _ in range(39)))
    monkeypatch.setattr(access, "check_password", checker)
    outcomes.append(attempt(link, "0000", client(1)))
    assert checker.calls <= 5, f"{checker.calls} PINs were checked"  # before: 40
    assert outcomes.count("locked") >= 35
    assert attempt(link, "4821", client(1)) == "locked"  # the right PIN does not get through the lock


@pytest.mark.skipif(not on_postgres(), reason="real threads need a database that takes parallel writers")
@pytest.mark.django_db(transaction=True)
def test_forty_threads_of_wrong_pins(studio_a, alice, monkeypatch):
    from events.services import event_create

    link = make_link(event_create(studio=studio_a, user=alice, name="Race"), pin="4821").link
    checker = CountingCheck(access.check_password)
    monkeypatch.setattr(access, "check_password", checker)

    def one(_):
        try:
            return attempt(link, "0000", client(1))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(one, range(40)))
    assert checker.calls <= 5 and outcomes.count("wrong") + outcomes.count("locked") == 40
    assert attempt(link, "4821", client(1)) == "locked"


def test_rotating_addresses_cannot_brute_force_a_pin(event, monkeypatch, settings):
    settings.VISAGE_PIN_FAILURES_PER_LINK = (30, 3600)
    settings.VISAGE_PIN_PAUSE_SECONDS = 60  # past the link's 30, one try a minute (not an hour's lockout for all)
    link = make_link(event, pin="0151").link
    checker = CountingCheck(access.check_password)
    monkeypatch.setattr(access, "check_password", checker)
    # One guess per address, in order: the PIN is guess number 152.
    results = [attempt(link, f"{guess:04d}", client(guess)) for guess in range(200)]
    assert "ok" not in results  # before: found at the 152nd address
    assert results[:30] == ["wrong"] * 29 + ["locked"] and set(results[30:]) == {"locked"}
    assert checker.calls == 30
    assert attempt(make_link(event, pin="0151").link, "0151", client(999)) == "ok"  # other links are unaffected


def test_right_pins_give_their_attempt_back(event):
    """A venue shares one address: many guests typing the right PIN never lock each other out."""
    link = make_link(event, pin="4821").link
    assert [attempt(link, "4821", client(1)) for _ in range(50)] == ["ok"] * 50


def test_counter_is_one_atomic_statement_in_the_database(db):
    limit = ratelimit.Limit(3, 60)
    assert [ratelimit.count(key="t", limit=limit)[0] for _ in range(4)] == [1, 2, 3, 4]
    assert RateCounter.objects.get(bucket="t").hits == 4
    with pytest.raises(ratelimit.Throttled):
        ratelimit.hit(key="t", limit=limit)


def test_counter_holds_with_the_file_cache(db, settings, tmp_path):
    """The embedded default's file cache is no longer where counters live."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path)}}
    limit = ratelimit.Limit(300, 60)
    passed = 0
    for _ in range(357):
        try:
            ratelimit.hit(key="searches", limit=limit)
            passed += 1
        except ratelimit.Throttled:
            pass
    assert passed == 300


@pytest.mark.skipif(not on_postgres(), reason="real threads need a database that takes parallel writers")
@pytest.mark.django_db(transaction=True)
def test_parallel_hits_never_pass_the_limit():
    limit = ratelimit.Limit(30, 60)

    def one(_):
        try:
            ratelimit.hit(key="parallel", limit=limit)
            return True
        except ratelimit.Throttled:
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert sum(pool.map(one, range(80))) == 30


def test_finished_windows_are_deleted_by_the_retention_run(db):
    from sharing.services.retention import retention_purge

    ratelimit.hit(key="old", limit=ratelimit.Limit(5, 60))
    RateCounter.objects.filter(bucket="old").update(expires_at=0)
    ratelimit.hit(key="live", limit=ratelimit.Limit(5, 60))
    retention_purge()
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["live"]
