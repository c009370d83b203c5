"""What sharing tells the apps above it (core/hooks.py); it may not import them."""
from dataclasses import dataclass

from core.hooks import Hook


@dataclass(frozen=True)
class GuestSearched:
    """A guest searched with a selfie. Never the selfie, its faces or the guest's identity."""

    studio_id: int
    event_id: int
    share_link_id: int
    match_count: int


@dataclass(frozen=True)
class RemovalRequested:
    """A guest asked to be forgotten and the studio must decide. Never the selfie, the faces' ids
    or who the guest is."""

    studio_id: int
    event_id: int
    removal_request_id: int
    face_count: int
    pending: int


@dataclass(frozen=True)
class GuestMatched:
    """An opted-in guest is being sent a message about new photos of them ("new photos of me").
    Never the guest's address, face data or which photos."""

    studio_id: int
    event_id: int
    share_link_id: int
    photo_count: int


guest_searched = Hook("sharing.guest_searched", GuestSearched)
guest_matched = Hook("sharing.guest_matched", GuestMatched)
removal_requested = Hook("sharing.removal_requested", RemovalRequested)
