"""Wrong-PIN limits that a venue survives: three counters per link, each with its own answer.

- device (signed cookie, sharing.devices) at one address: VISAGE_PIN_MAX_FAILURES wrong PINs,
  then that device alone is locked out for VISAGE_PIN_LOCKOUT_SECONDS. Twenty phones behind one
  venue Wi-Fi address no longer share one guest's typos.
- address (every device behind it) and link (every address): a free allowance of wrong PINs,
  then one attempt per pause, the pause doubling with each further wrong PIN up to a cap. An
  attacker dropping cookies or rotating addresses is slowed to a crawl, but nobody can lock a
  wedding's guests out for an hour: the longest wait anyone shares is the cap.

Every attempt is counted before its PIN is checked (atomic counters, core.ratelimit), so parallel
wrong PINs cannot all be checked; a right PIN gives its counts back.
"""
import time
from dataclasses import dataclass

from django.db.models import Q

from core import ratelimit
from core.ratelimit import Limit, Throttled
from core.tenancy.models import RateCounter
from sharing import conf
from sharing.clients import Client

_PREFIX = "sharing:pin:{link_id}:"
_SLOT = Limit(1, 1)  # a pause: one attempt's slot, held for the pause's length


@dataclass(frozen=True)
class Tier:
    key: str
    limit: Limit  # wrong PINs allowed in the window
    lockout: int | None  # seconds locked after the last allowed one; None: pauses instead

    @property
    def pause_key(self) -> str:
        return f"{self.key}:pause"


def tiers(*, link_id: int, client: Client) -> list[Tier]:
    prefix = _PREFIX.format(link_id=link_id)
    device = Limit(conf.pin_max_failures(), conf.pin_lockout_seconds())
    return [
        Tier(f"{prefix}dev:{client.ip_hash}:{client.device}", device, conf.pin_lockout_seconds()),
        Tier(f"{prefix}ip:{client.ip_hash}", conf.pin_failures_per_address(), None),
        Tier(f"{prefix}all", conf.pin_failures_per_link(), None),
    ]


def refuse_while_waiting(all_tiers: list[Tier]) -> None:
    """Throttled while a lockout or pause runs, without counting anything."""
    for tier in all_tiers:
        if tier.lockout:
            ratelimit.check(key=tier.key, limit=tier.limit)
        else:
            ratelimit.check(key=tier.pause_key, limit=_SLOT)


def claim(all_tiers: list[Tier]) -> list[int]:
    """Count one attempt on every tier → the counts; Throttled (nothing left counted) if a tier has
    no try left: past its lockout limit, or past its allowance while another attempt holds the pause."""
    counted: list[Tier] = []
    hits = []
    try:
        for tier in all_tiers:
            if tier.lockout:
                counted.append(tier)
                hits.append(ratelimit.hit(key=tier.key, limit=tier.limit))
                continue
            count, _left = ratelimit.count(key=tier.key, limit=tier.limit)
            counted.append(tier)
            hits.append(count)
            if count > tier.limit.count:  # past the allowance: one attempt at a time, a pause apart
                ratelimit.hit(key=tier.pause_key, limit=Limit(1, _pause(count - tier.limit.count)))
    except Throttled:
        for tier in counted:
            ratelimit.release(key=tier.key)
        raise
    return hits


def succeeded(all_tiers: list[Tier]) -> None:
    """A right PIN: its attempt was no failure, and a pause it held is over."""
    for tier in all_tiers:
        ratelimit.release(key=tier.key)
        if not tier.lockout:
            ratelimit.release(key=tier.pause_key)


def failed(all_tiers: list[Tier], hits: list[int]) -> tuple[int, int]:
    """Start the lockout or pause this wrong PIN earned → (seconds to wait, 0 if none; tries left)."""
    wait = 0
    for tier, count in zip(all_tiers, hits):
        if count < tier.limit.count:
            continue
        if tier.lockout:
            ratelimit.lock(key=tier.key, limit=tier.limit, seconds=tier.lockout)
            wait = max(wait, tier.lockout)
        else:
            pause = _pause(count - tier.limit.count + 1)
            ratelimit.count(key=tier.pause_key, limit=Limit(1, pause))
            ratelimit.lock(key=tier.pause_key, limit=_SLOT, seconds=pause)
            wait = max(wait, pause)
    left = min(max(tier.limit.count - count, 0) for tier, count in zip(all_tiers, hits))
    return wait, left


def _pause(past: int) -> int:
    """The pause after the `past`-th wrong PIN beyond an allowance: doubling, capped."""
    first, longest = conf.pin_pause_seconds()
    return min(longest, first * 2 ** min(max(past - 1, 0), 30))


@dataclass(frozen=True)
class LockState:
    """What the organizer sees: who is waiting now, and how long the longest wait lasts."""

    locked: bool  # someone is refused now: the link paused, or a device or address waiting
    retry_after: int  # seconds left of the link's pause for everyone (0: none)
    wrong_pins: int  # wrong PINs on the link in its window
    devices_locked: int  # devices locked out (each alone)
    addresses_paused: int  # addresses paused (all their devices)


def lock_states(*, link_ids: list[int]) -> dict[int, LockState]:
    """Each link's live counters, in one query (a page of links)."""
    now = time.time()
    found: dict[int, dict] = {link_id: {"pause": 0, "wrong": 0, "devices": 0, "addresses": 0} for link_id in link_ids}
    if not link_ids:
        return {}
    prefixes = Q()
    for link_id in link_ids:
        prefixes |= Q(bucket__startswith=_PREFIX.format(link_id=link_id))
    max_failures = conf.pin_max_failures()
    rows = RateCounter.objects.filter(prefixes, expires_at__gt=now).values_list("bucket", "hits", "expires_at")
    for bucket, hits, expires_at in rows:
        link_id, name = bucket.split(":", 3)[2:]
        state = found[int(link_id)]
        if name == "all":
            state["wrong"] = hits
        elif name == "all:pause" and hits:
            state["pause"] = int(expires_at - now) + 1
        elif name.startswith("dev:") and hits >= max_failures:
            state["devices"] += 1
        elif name.startswith("ip:") and name.endswith(":pause") and hits:
            state["addresses"] += 1
    return {link_id: LockState(locked=bool(s["pause"] or s["devices"] or s["addresses"]), retry_after=s["pause"], wrong_pins=s["wrong"],
                               devices_locked=s["devices"], addresses_paused=s["addresses"])
            for link_id, s in found.items()}


def unlock(*, link_id: int) -> int:
    """Forget every wrong PIN counted on the link (the organizer's "unlock") → counters cleared."""
    # core.ratelimit has no prefix reset; its table is the one place counters live.
    deleted, _ = RateCounter.objects.filter(bucket__startswith=_PREFIX.format(link_id=link_id)).delete()
    return deleted
