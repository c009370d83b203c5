"""Reads for the tenancy core: which studio a request acts for."""
from core.tenancy.models import Membership, User


def membership_for_request(*, user: User, studio_slug: str | None) -> Membership | None:
    """The membership a request acts through: the one named by the X-Studio header, else the oldest.

    The header only selects among the user's own memberships; it never grants access.
    """
    memberships = Membership.objects.select_related("studio").filter(user=user).order_by("created_at", "id")
    if studio_slug:
        return memberships.filter(studio__slug=studio_slug).first()
    return memberships.first()
