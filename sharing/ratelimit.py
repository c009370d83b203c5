"""The guest side of core.ratelimit: the same atomic counters, refusals as a GuestError (429)."""
from sharing.errors import RateLimited
from core import ratelimit
from core.ratelimit import Limit

__all__ = ["Limit", "check", "hit"]


def hit(*, key: str, limit: Limit) -> int:
    """Count one request; raise RateLimited once the window's count passes the limit."""
    try:
        return ratelimit.hit(key=f"sharing:{key}", limit=limit)
    except ratelimit.Throttled as exc:
        raise RateLimited(retry_after=exc.retry_after) from None


def check(*, key: str, limit: Limit) -> None:
    """Raise RateLimited if the window is already full, without counting."""
    try:
        ratelimit.check(key=f"sharing:{key}", limit=limit)
    except ratelimit.Throttled as exc:
        raise RateLimited(retry_after=exc.retry_after) from None
