"""Atomic counters for every limit (PIN attempts, searches, logins), kept in the database.

One `INSERT … ON CONFLICT DO UPDATE … RETURNING` statement counts and reads back in one
step, on SQLite and PostgreSQL alike, so parallel requests can never all read the same old
count (the file cache's get+set could: 357 searches passed a limit of 300). The database is
shared by every web process and worker, so the limits hold across them without Redis.

A counter's window starts at its first hit and lasts `Limit.seconds`; `lock` restarts it at
full length (a lockout that begins at the failure that caused it).
"""
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import F

from core.tenancy.models import RateCounter


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


class Throttled(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"rate limited, retry after {self.retry_after}s")


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
    now = time.time()
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key[:200], now + limit.seconds, now, now])
        hits, expires_at = cursor.fetchone()
    return int(hits), int(expires_at - now) + 1


def hit(*, key: str, limit: Limit) -> int:
    """Count one hit; raise Throttled once the window holds more than the limit."""
    hits, left = count(key=key, limit=limit)
    if hits > limit.count:
        raise Throttled(left)
    return hits


def check(*, key: str, limit: Limit) -> None:
    """Raise Throttled if the window already holds the limit, without counting."""
    now = time.time()
    row = RateCounter.objects.filter(bucket=key[:200], expires_at__gt=now).values_list("hits", "expires_at").first()
    if row is not None and row[0] >= limit.count:
        raise Throttled(row[1] - now + 1)


def release(*, key: str) -> None:
    """Give back one hit (an attempt that turned out right must not count as a failure)."""
    RateCounter.objects.filter(bucket=key[:200], hits__gt=0).update(hits=F("hits") - 1)


def lock(*, key: str, limit: Limit, seconds: int) -> None:
    """Hold the counter at the limit for `seconds` from now (a lockout)."""
    RateCounter.objects.filter(bucket=key[:200]).update(hits=limit.count, expires_at=time.time() + seconds)


def purge_expired() -> int:
    deleted, _ = RateCounter.objects.filter(expires_at__lte=time.time()).delete()
    return deleted

