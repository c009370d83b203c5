"""Sharing settings, read at call time so that tests and operators can change them.

Each can be set in the Django settings (from the environment in production); the defaults
are what a wedding-sized event needs.
"""
from django.conf import settings

from core.ratelimit import Limit


def _get(name: str, default):
    return getattr(settings, name, default)


def selfie_max_bytes() -> int:
    # Phone selfies are 2-8 MB; 15 MB leaves room for HEIC->JPEG conversions without inviting abuse.
    return _get("VISAGE_SELFIE_MAX_BYTES", 15 * 1024 * 1024)


def guest_session_seconds() -> int:
    # A guest's session (and its list of matched photos) lives at most a day.
    return _get("VISAGE_GUEST_SESSION_SECONDS", 24 * 3600)


def searches_per_link() -> Limit:
    # A link's whole audience: 300 a minute is a wedding's guests all scanning after the speeches.
    return Limit(*_get("VISAGE_GUEST_SEARCHES_PER_LINK", (300, 60)))


def searches_per_client() -> Limit:
    # Per IP address, and guests at a venue often share one (Wi-Fi NAT): generous, still far
    # below what it would take to map the event's faces with a stream of photos.
    return Limit(*_get("VISAGE_GUEST_SEARCHES_PER_CLIENT", (30, 60)))


def lookup_failures_per_client() -> Limit:
    # Unknown tokens/codes from one client: 20 per 10 minutes keeps guessing an 8-character
    # code (31^8 ~ 8.5e11) hopeless while forgiving a few typos.
    return Limit(*_get("VISAGE_GUEST_LOOKUP_FAILURES_PER_CLIENT", (20, 600)))


def pin_max_failures() -> int:
    # Per device and address (sharing.pin_limits): one guest's typos lock out that guest only.
    return settings.VISAGE_PIN_MAX_FAILURES


def pin_lockout_seconds() -> int:
    return settings.VISAGE_PIN_LOCKOUT_SECONDS


def pin_failures_per_address() -> Limit:
    # Every device behind one address: a venue's NAT reaches it only when many guests mistype; an
    # attacker dropping the device cookie reaches it at once and is then paused, not the venue locked.
    return Limit(*settings.VISAGE_PIN_FAILURES_PER_ADDRESS)


def pin_failures_per_link() -> Limit:
    # Every client together: rotating addresses must not get 10,000 tries at a 4-digit PIN. Past
    # it, pauses (never a long lockout everyone shares): see pin_pause_seconds.
    return Limit(*settings.VISAGE_PIN_FAILURES_PER_LINK)


def pin_pause_seconds() -> tuple[int, int]:
    """(first pause, longest pause) past the address and link allowances; each wrong PIN doubles it."""
    return settings.VISAGE_PIN_PAUSE_SECONDS, settings.VISAGE_PIN_MAX_PAUSE_SECONDS


def selfie_max_pixels() -> int:
    # Phone selfie cameras are 8-32 MP; a selfie is analysed at 1024 px anyway.
    return _get("VISAGE_SELFIE_MAX_PIXELS", 40_000_000)


def selfie_decode_budget_bytes() -> int:
    # What one selfie may cost to decode on the public endpoint (events.inspection, core.sandbox).
    return settings.VISAGE_SELFIE_DECODE_BUDGET_BYTES


def selfie_decode_cpu_seconds() -> float:
    # CPU all of one selfie's decodes may take together, in a child process (core.sandbox).
    return settings.VISAGE_SELFIE_DECODE_CPU_MS / 1000


def trusted_proxy_hops() -> int:
    """How many reverse proxies append to X-Forwarded-For (0: use REMOTE_ADDR)."""
    return _get("VISAGE_TRUSTED_PROXY_HOPS", 0)


def public_url() -> str:
    """The site's public base URL for links and QR codes; empty: taken from the request."""
    return _get("VISAGE_PUBLIC_URL", "").rstrip("/")


def forget_requests_per_client() -> Limit:
    # "Forget me" files a request the studio must review: a few a day per client and link is
    # plenty for real guests and keeps one client from burying the studio in requests.
    return Limit(*_get("VISAGE_FORGET_REQUESTS_PER_CLIENT", (3, 86400)))


def forget_verify_window() -> Limit:
    # The second selfie of a "hide at once" request: a few tries, soon after the first one.
    return Limit(settings.VISAGE_FORGET_VERIFY_TRIES, settings.VISAGE_FORGET_VERIFY_SECONDS)


def notify_min_interval_seconds() -> int:
    # Waldo texts on every match; guests at a party get annoyed: one message per 10 minutes at most.
    return settings.VISAGE_NOTIFY_MIN_MINUTES * 60


def notify_window_days() -> int:
    # Photos of an event keep arriving for days (the edited set a week later); a month covers it.
    return settings.VISAGE_NOTIFY_WINDOW_DAYS


def notify_send_tries() -> int:
    return settings.VISAGE_NOTIFY_SEND_TRIES


def notify_optins_per_client() -> Limit:
    return Limit(*settings.VISAGE_NOTIFY_OPTINS_PER_CLIENT)
