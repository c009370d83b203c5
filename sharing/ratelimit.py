"""Fixed-window counters in the shared cache (Redis in production, so limits hold across workers)."""
import time

from django.core.cache import cache

from sharing.conf import Limit
from sharing.errors import RateLimited

_PREFIX = "sharing:rl:"


def hit(*, key: str, limit: Limit) -> None:
    """Count one request; raise RateLimited once the window's count passes the limit."""
    now = time.time()
    bucket = f"{_PREFIX}{key}:{int(now // limit.seconds)}"
    if cache.add(bucket, 1, timeout=limit.seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.set(bucket, 1, timeout=limit.seconds + 5)
            count = 1
    if count > limit.count:
        raise RateLimited(retry_after=_seconds_left(now, limit))


def check(*, key: str, limit: Limit) -> None:
    """Raise RateLimited if the window is already over the limit, without counting."""
    now = time.time()
    if cache.get(f"{_PREFIX}{key}:{int(now // limit.seconds)}", 0) >= limit.count:
        raise RateLimited(retry_after=_seconds_left(now, limit))


def _seconds_left(now: float, limit: Limit) -> int:
    return max(1, int(limit.seconds - now % limit.seconds))
