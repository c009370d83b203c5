"""core/ratelimit.py's windows, as the clients they limit see them: the Nth request passes and the
next one is refused with the exact Retry-After; a window, a lockout and a "known client" mark each
end when they should; a given-back hit is one hit; and every counter is its own client's, even for
keys longer than the 200 characters a bucket keeps (a long device cookie in a PIN tier's key).

The clock is core.ratelimit.now, moved by hand: the windows are stored in epoch seconds.
"""
import pytest

from core import ratelimit
from core.ratelimit import Limit, Throttled
from core.tenancy.models import RateCounter
from tests.rate_clock import RateClock

START = RateClock.START
LONG = "sharing:pin:7:dev:" + "d" * 240  # past 200 characters: only its first 200 are the bucket


def refused_after(action) -> int | None:
    """The Retry-After a refusal carries, or None if the action passed."""
    try:
        action()
    except Throttled as refusal:
        return refusal.retry_after
    return None


@pytest.mark.parametrize("key", ["searches:client-1", LONG])
def test_the_limit_passes_exactly_its_count_and_says_when_the_window_ends(db, clock, key):
    limit = Limit(2, 60)
    assert [ratelimit.hit(key=key, limit=limit) for _ in range(2)] == [1, 2]
    assert refused_after(lambda: ratelimit.hit(key=key, limit=limit)) == 61  # the window's 60 s, rounded up
    clock.now += 30.5
    assert refused_after(lambda: ratelimit.check(key=key, limit=limit)) == 30
    assert ratelimit.count(key=key, limit=limit) == (4, 30)
    clock.now = START + 60  # the window is over: a fresh one starts with this hit
    assert ratelimit.count(key=key, limit=limit) == (1, 61)
    assert refused_after(lambda: ratelimit.check(key=key, limit=limit)) is None


def test_check_refuses_at_the_limit_never_before_and_only_that_client(db, clock):
    limit = Limit(3, 60)
    for n in range(3):
        assert refused_after(lambda: ratelimit.check(key="lookup-fail:a", limit=limit)) is None
        ratelimit.hit(key="lookup-fail:a", limit=limit)
    clock.now += 0.25
    assert refused_after(lambda: ratelimit.check(key="lookup-fail:a", limit=limit)) == 60
    assert refused_after(lambda: ratelimit.check(key="lookup-fail:b", limit=limit)) is None  # another client
    clock.now = START + 60
    assert refused_after(lambda: ratelimit.check(key="lookup-fail:a", limit=limit)) is None  # the window ended


@pytest.mark.parametrize("key", ["sharing:pin:7:ip:abc", LONG])
def test_a_given_back_hit_is_one_hit_of_that_client_only(db, clock, key):
    limit = Limit(2, 60)
    ratelimit.hit(key=key, limit=limit)
    ratelimit.hit(key="sharing:pin:7:ip:other", limit=limit)
    ratelimit.release(key=key)  # a right PIN: its attempt was no failure
    ratelimit.release(key=key)  # nothing left to give back: never below nothing
    assert [ratelimit.hit(key=key, limit=limit) for _ in range(2)] == [1, 2]
    assert refused_after(lambda: ratelimit.hit(key=key, limit=limit)) == 61
    assert ratelimit.count(key="sharing:pin:7:ip:other", limit=limit)[0] == 2  # not given back by the other's release


@pytest.mark.parametrize("key", ["sharing:pin:7:dev:phone", LONG])
def test_a_lockout_lasts_its_seconds_from_the_failure_and_is_never_lowered(db, clock, key):
    limit = Limit(5, 60)
    for _ in range(7):
        ratelimit.count(key=key, limit=limit)  # seven parallel wrong PINs counted before the lock
    ratelimit.count(key="sharing:pin:7:dev:other", limit=limit)
    clock.now += 50
    ratelimit.lock(key=key, limit=limit, seconds=900)
    assert refused_after(lambda: ratelimit.check(key=key, limit=limit)) == 901  # 900 s from now, not the window's 10
    ratelimit.release(key=key)
    ratelimit.release(key=key)  # the two refused attempts give their hits back: still locked
    clock.now += 899
    assert refused_after(lambda: ratelimit.check(key=key, limit=limit)) == 2  # its last second, rounded up
    assert refused_after(lambda: ratelimit.check(key="sharing:pin:7:dev:other", limit=limit)) is None
    clock.now += 1
    assert refused_after(lambda: ratelimit.check(key=key, limit=limit)) is None
    assert ratelimit.hit(key=key, limit=limit) == 1


def test_a_lockout_below_the_limit_is_raised_to_it(db, clock):
    limit = Limit(5, 60)
    ratelimit.count(key="sharing:pin:7:all:pause", limit=limit)
    ratelimit.lock(key="sharing:pin:7:all:pause", limit=limit, seconds=30)
    assert refused_after(lambda: ratelimit.check(key="sharing:pin:7:all:pause", limit=limit)) == 31


@pytest.mark.parametrize("key", ["login:known:alice:home", LONG])
def test_a_known_client_mark_lasts_its_seconds_and_names_one_client(db, clock, key):
    ratelimit.hit(key="login:known:alice:elsewhere-counter", limit=Limit(5, 60))
    ratelimit.mark(key=key, seconds=86400)
    ratelimit.mark(key=key, seconds=86400)  # marked again (a second sign-in): still one mark
    assert ratelimit.marked(key=key) and not ratelimit.marked(key="login:known:alice:elsewhere")
    assert RateCounter.objects.filter(bucket="login:known:alice:elsewhere-counter").get().hits == 1
    clock.now += 86399
    assert ratelimit.marked(key=key)
    clock.now += 1
    assert not ratelimit.marked(key=key)


@pytest.mark.parametrize("key", ["login:pair:alice:home", LONG])
def test_forgetting_clears_that_client_only(db, clock, key):
    limit = Limit(1, 60)
    for name in (key, "login:pair:alice:attacker"):
        ratelimit.hit(key=name, limit=limit)
    ratelimit.forget(key=key)
    assert ratelimit.hit(key=key, limit=limit) == 1
    assert refused_after(lambda: ratelimit.hit(key="login:pair:alice:attacker", limit=limit)) == 61


def test_the_retention_run_deletes_finished_windows_only(db, clock):
    ratelimit.hit(key="old", limit=Limit(5, 60))
    ratelimit.hit(key="live", limit=Limit(5, 120))
    clock.now += 60
    assert ratelimit.purge_expired() == 1
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["live"]


def test_a_refusal_asks_for_at_least_a_second_rounded_down():
    assert [Throttled(wait).retry_after for wait in (0, 0.4, 1.9, 61.7)] == [1, 1, 1, 61]
