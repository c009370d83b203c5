"""core/ratelimit.py's backoff (sign-in per account and client): the free failures, then waits that
double up to the cap, each Retry-After exact, the count forgotten after `memory`, every count its
own client's, and no failure lost when two attempts race for one counter.

The clock is core.ratelimit.now, moved by hand. A race is made deterministic by a backoff policy
whose delay() (asked between an attempt's read of the counter and its write) first lets another
attempt on the same key land: exactly the interleaving two parallel requests can produce.
"""
from dataclasses import dataclass, field

import pytest

from core import ratelimit
from core.ratelimit import Backoff, Throttled
from tests.rate_clock import RateClock

POLICY = {"free": 2, "first": 10, "longest": 40, "memory": 3600}
KEY = "login:pair:alice:attacker"
START = RateClock.START
SIGN_IN = Backoff(**POLICY)


def claim(key: str = KEY, backoff: Backoff = SIGN_IN) -> int | str:
    """The failures counted so far, or "wait N" with the Retry-After of a refusal."""
    try:
        return ratelimit.backoff_claim(key=key, backoff=backoff)
    except Throttled as refusal:
        return f"wait {refusal.retry_after}"


@dataclass(frozen=True)
class RacedBackoff(Backoff):
    """The policy, with `races` other attempts on `key` landing inside this attempt (one per try)."""
    key: str = KEY
    races: int = 1
    others: list = field(default_factory=list)  # what the other attempts got

    def delay(self, failures: int) -> float:
        if len(self.others) < self.races:
            self.others.append(claim(self.key, Backoff(**{name: getattr(self, name) for name in POLICY})))
        return super().delay(failures)


def test_free_failures_then_doubling_waits_up_to_the_cap_each_told_exactly(db, clock):
    assert [claim(), claim(), claim()] == [1, 2, "wait 11"]  # two free, then 10 s (rounded up)
    clock.now += 9.5
    assert claim() == "wait 1"  # half a second left: still refused
    clock.now = START + 10  # the wait is over to the instant
    assert claim() == 3
    assert claim() == "wait 21"  # doubled
    clock.now = START + 30
    assert [claim(), claim()] == [4, "wait 41"]  # 40 s: doubled again, and the cap
    clock.now = START + 70
    assert [claim(), claim()] == [5, "wait 41"]  # capped: not 80
    clock.now = START + 110 + 3600  # `memory` after the last wait ended: forgotten
    assert [claim(), claim(), claim()] == [1, 2, "wait 11"]  # free failures again


@pytest.mark.parametrize("other", ["login:pair:alice:home", "login:pair:" + "x" * 240])
def test_one_clients_failures_never_count_for_another_failing_at_the_same_instant(db, clock, other):
    assert [claim(), claim(other)] == [1, 1]
    assert [claim(), claim()] == [2, "wait 11"]
    assert [claim(other), claim(other)] == [2, "wait 11"]  # its own count, not the attacker's


def test_two_attempts_racing_to_create_the_counter_both_count(db, clock):
    raced = RacedBackoff(**POLICY)
    assert claim(backoff=raced) == 2 and raced.others == [1]


def test_an_attempt_racing_another_within_the_free_failures_counts_after_it(db, clock):
    policy = {**POLICY, "free": 3}
    assert claim(backoff=Backoff(**policy)) == 1
    raced = RacedBackoff(**policy)  # the other attempt writes the same expiry (no wait yet), one more failure
    assert claim(backoff=raced) == 3 and raced.others == [2]


def test_an_attempt_racing_a_fresh_start_counts_after_it(db, clock):
    assert claim() == 1
    clock.now += 3601  # forgotten: both attempts read the old row and start afresh
    raced = RacedBackoff(**POLICY)
    assert claim(backoff=raced) == 2 and raced.others == [1]


def test_an_attempt_that_loses_every_race_is_told_to_retry_in_a_second(db, clock):
    raced = RacedBackoff(**{**POLICY, "free": 100}, races=10)
    assert claim(backoff=raced) == "wait 1"
    assert raced.others == [1, 2, 3, 4, 5]  # five tries, each lost to another attempt that did count


def test_any_number_of_failures_waits_the_cap_without_overflowing():
    assert [SIGN_IN.delay(failures) for failures in (1, 2, 4, 10_000)] == [0.0, 10, 40, 40]
