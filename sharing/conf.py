"""Sharing's typed configuration: guest links, selfies, PIN limits, "forget me" (docs/sharing.md).

Each value is the Django setting of the same name published from the configuration surface
(visage/settings/surface.py, where the defaults are and why), read at call time so that tests and
operators can change them. The functions below are what the services call.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.conf import settings_object
from core.ratelimit import Limit


@dataclass(frozen=True)
class SharingConfig:
    public_url: str
    selfie_max_bytes: int
    selfie_max_pixels: int
    selfie_decode_cpu_ms: int
    selfie_decode_budget_bytes: int
    guest_session_seconds: int
    guest_searches_per_link: tuple[int, int]
    guest_searches_per_client: tuple[int, int]
    guest_lookup_failures_per_client: tuple[int, int]
    forget_requests_per_client: tuple[int, int]
    forget_verify_seconds: int
    forget_verify_tries: int
    pin_max_failures: int
    pin_lockout_seconds: int
    pin_failures_per_address: tuple[int, int]
    pin_failures_per_link: tuple[int, int]
    pin_pause_seconds: int
    pin_max_pause_seconds: int
    notify_min_minutes: int
    notify_window_days: int
    notify_send_tries: int
    notify_optins_per_client: tuple[int, int]
    notify_channels_allow_private: bool


def sharing() -> SharingConfig:
    return settings_object(SharingConfig)


def selfie_max_bytes() -> int:
    return sharing().selfie_max_bytes


def guest_session_seconds() -> int:
    # A guest's session (and its list of matched photos) lives at most this long.
    return sharing().guest_session_seconds


def searches_per_link() -> Limit:
    # The link's whole audience, charged only for searches that passed consent with a usable face.
    return Limit(*sharing().guest_searches_per_link)


def searches_per_client() -> Limit:
    # Per IP address, and guests at a venue often share one (Wi-Fi NAT).
    return Limit(*sharing().guest_searches_per_client)


def lookup_failures_per_client() -> Limit:
    # Unknown tokens/codes from one client.
    return Limit(*sharing().guest_lookup_failures_per_client)


def pin_max_failures() -> int:
    # Per device and address (sharing.pin_limits): one guest's typos lock out that guest only.
    return sharing().pin_max_failures


def pin_lockout_seconds() -> int:
    return sharing().pin_lockout_seconds


def pin_failures_per_address() -> Limit:
    # Every device behind one address: a venue's NAT reaches it only when many guests mistype; an
    # attacker dropping the device cookie reaches it at once and is then paused, not the venue locked.
    return Limit(*sharing().pin_failures_per_address)


def pin_failures_per_link() -> Limit:
    # Every client together: rotating addresses must not get 10,000 tries at a 4-digit PIN. Past
    # it, pauses (never a long lockout everyone shares): see pin_pause_seconds.
    return Limit(*sharing().pin_failures_per_link)


def pin_pause_seconds() -> tuple[int, int]:
    """(first pause, longest pause) past the address and link allowances; each wrong PIN doubles it."""
    config = sharing()
    return config.pin_pause_seconds, config.pin_max_pause_seconds


def selfie_max_pixels() -> int:
    return sharing().selfie_max_pixels


def selfie_decode_budget_bytes() -> int:
    # What one selfie may cost to decode on the public endpoint (events.inspection, core.sandbox).
    return sharing().selfie_decode_budget_bytes


def selfie_decode_cpu_seconds() -> float:
    # CPU all of one selfie's decodes may take together, in a child process (core.sandbox).
    return sharing().selfie_decode_cpu_ms / 1000


def public_url() -> str:
    """The site's public base URL for links and QR codes; empty: taken from the request."""
    return sharing().public_url.rstrip("/")


def forget_requests_per_client() -> Limit:
    # "Forget me" files a request the studio must review: a few a day per client and link.
    return Limit(*sharing().forget_requests_per_client)


def forget_verify_window() -> Limit:
    # The second selfie of a "hide at once" request: a few tries, soon after the first one.
    config = sharing()
    return Limit(config.forget_verify_tries, config.forget_verify_seconds)


def notify_min_interval_seconds() -> int:
    # Waldo texts on every match; guests at a party get annoyed: one message per 10 minutes at most.
    return sharing().notify_min_minutes * 60


def notify_window_days() -> int:
    # Photos of an event keep arriving for days (the edited set a week later); a month covers it.
    return sharing().notify_window_days


def notify_send_tries() -> int:
    return sharing().notify_send_tries


def notify_channels_allow_private() -> bool:
    # Loopback/LAN gateways allowed (local and test profiles); refused elsewhere (SSRF).
    return sharing().notify_channels_allow_private


def notify_optins_per_client() -> Limit:
    return Limit(*sharing().notify_optins_per_client)
