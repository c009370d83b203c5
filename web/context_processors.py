"""Template context every page shares."""
from django.utils.functional import SimpleLazyObject

from core.access import membership_can
from core.tenancy.selectors import membership_for_request


def studio_nav(request) -> dict:
    """`studio_manager`: the signed-in user owns or administers their studio (shows the settings
    links); `studio_member`: they belong to a studio (its team page). Lazy: pages that never look pay no query."""
    def is_manager() -> bool:
        if not getattr(request.user, "is_authenticated", False):
            return False
        membership = membership_for_request(user=request.user, studio_slug=None)
        return membership_can(membership, "administer")

    def is_member() -> bool:
        return getattr(request.user, "is_authenticated", False) and \
            membership_for_request(user=request.user, studio_slug=None) is not None

    return {"studio_manager": SimpleLazyObject(is_manager), "studio_member": SimpleLazyObject(is_member)}
