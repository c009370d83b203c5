"""Atomic counters for every limit (PIN attempts, searches, logins), kept in the database.

One `INSERT … ON CONFLICT DO UPDATE … RETURNING` statement counts and reads back in one
step, on SQLite and PostgreSQL alike, so parallel requests can never all read the same old
count (the file cache's get+set could: 357 searches passed a limit of 300). The database is
shared by every web process and worker, so the limits hold across them without Redis.

A counter's window starts at its first hit and lasts `Limit.seconds`; `lock` restarts it at
full length (a lockout that begins at the failure that caused it). `backoff_claim` is the other
kind: each failure doubles the wait before the next attempt (sign-in, per account and client).
"""
import time
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from core.tenancy.models import RateCounter


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


# The power of two a backoff stops at: 2**40 times any first wait is past any cap, and the bound keeps
# `first * 2**n` a finite float for any number of failures (2**1024 would overflow).
MAX_DOUBLINGS = 40


@dataclass(frozen=True)
class Backoff:
    """`free` failures without a wait, then `first`, 2×`first`, 4×… seconds, at most `longest`;
    the count is forgotten `memory` seconds after the last failure."""
    free: int
    first: float
    longest: float
    memory: float

    def delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.first * 2 ** min(failures - self.free, MAX_DOUBLINGS), self.longest)


def now() -> float:
    return time.time()


class Throttled(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"rate limited, retry after {self.retry_after}s")  # pragma: no mutate - never shown: callers answer with retry_after


_TABLE = RateCounter._meta.db_table
_UPSERT = f"""
INSERT INTO {_TABLE} (bucket, hits, expires_at) VALUES (%s, 1, %s)
ON CONFLICT (bucket) DO UPDATE SET
    hits = CASE WHEN {_TABLE}.expires_at <= %s THEN 1 ELSE {_TABLE}.hits + 1 END,
    expires_at = CASE WHEN {_TABLE}.expires_at <= %s THEN excluded.expires_at ELSE {_TABLE}.expires_at END
RETURNING hits, expires_at
"""


def count(*, key: str, limit: Limit) -> tuple[int, int]:
    """Count one hit → (hits in the window so far, seconds until the window ends)."""
    at = now()
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key[:200], at + limit.seconds, at, at])
        hits, expires_at = cursor.fetchone()
    return int(hits), int(expires_at - at) + 1


def hit(*, key: str, limit: Limit) -> int:
    """Count one hit; raise Throttled once the window holds more than the limit."""
    hits, left = count(key=key, limit=limit)
    if hits > limit.count:
        raise Throttled(left)
    return hits


def check(*, key: str, limit: Limit) -> None:
    """Raise Throttled if the window already holds the limit, without counting."""
    at = now()
    row = RateCounter.objects.filter(bucket=key[:200], expires_at__gt=at).values_list("hits", "expires_at").first()
    if row is not None and row[0] >= limit.count:
        raise Throttled(row[1] - at + 1)


def release(*, key: str) -> None:
    """Give back one hit (an attempt that turned out right must not count as a failure)."""
    RateCounter.objects.filter(bucket=key[:200], hits__gt=0).update(hits=F("hits") - 1)


def lock(*, key: str, limit: Limit, seconds: int) -> None:
    """Hold the counter at the limit (or above) for `seconds` from now (a lockout). Never lowered:
    attempts refused meanwhile give their hit back afterwards, and from a lowered count those
    releases would reopen the lockout to parallel guesses."""
    RateCounter.objects.filter(bucket=key[:200]).update(hits=Greatest(F("hits"), limit.count),
                                                        expires_at=now() + seconds)


def backoff_claim(*, key: str, backoff: Backoff) -> int:
    """Count one attempt as a failure (until `forget`) and return the failures so far; Throttled
    with the seconds left if the key is still waiting out the delay of its last failure.

    The row keeps `expires_at = next allowed attempt + memory`. The claim is a compare-and-set
    UPDATE on the row as read, so parallel attempts cannot all pass one free slot."""
    key = key[:200]
    for _ in range(5):
        at = now()
        row = RateCounter.objects.filter(bucket=key).values_list("hits", "expires_at").first()
        failures = row[0] if row is not None and row[1] > at else 0
        if failures:
            wait = row[1] - backoff.memory - at
            if wait > 0:
                raise Throttled(wait + 1)
        expires_at = at + backoff.delay(failures + 1) + backoff.memory
        if row is None:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(bucket=key, hits=1, expires_at=expires_at)
                return 1
            except IntegrityError:
                continue  # another attempt created it first: read it again
        if RateCounter.objects.filter(bucket=key, hits=row[0], expires_at=row[1]).update(
                hits=failures + 1, expires_at=expires_at):
            return failures + 1
    raise Throttled(1)


def forget(*, key: str) -> None:
    RateCounter.objects.filter(bucket=key[:200]).delete()


def mark(*, key: str, seconds: float) -> None:
    """Remember something (a known client) for `seconds`: a counter that only exists."""
    RateCounter.objects.update_or_create(bucket=key[:200], defaults={"hits": 1, "expires_at": now() + seconds})


def marked(*, key: str) -> bool:
    return RateCounter.objects.filter(bucket=key[:200], expires_at__gt=now()).exists()


def purge_expired() -> int:
    deleted, _ = RateCounter.objects.filter(expires_at__lte=now()).delete()
    return deleted

