"""The access rules: which role may do which action. Objects are looked up by the apps that own
them (events.access); this table is the one place that says what a role allows. Every check in the
apps (API bases, pages, templates' `can`, the studio settings pages) asks `role_can` or
`membership_can`, and the two other rules that name roles (the role an API key's scope gives, who
is told of removal requests) live here too: no app compares role names itself
(tests/core/test_access.py pins the table and checks that)."""
from core.tenancy.models import API_KEY_SCOPE_ROLES, Membership, Role

# Not a studio role: a person invited to one event (sharing.services.organizers).
ORGANIZER = "organizer"

ACTIONS = ("view", "faces", "upload", "curate", "share", "invite", "delete", "camera_upload", "camera_switch")
# Studio-level actions (no event involved): creating events, and administering the studio
# (its API keys, webhooks and guest-data retention period).
STUDIO_ACTIONS = ("create_event", "administer")

_MANAGERS = frozenset({Role.OWNER, Role.ADMIN})
_WRITERS = _MANAGERS | {Role.PHOTOGRAPHER}
_MEMBERS = _WRITERS | {Role.VIEWER}
# An organizer (the event's client) decides what guests see, and may mint links that show guests the
# photos, originals and person albums: they read all of that too, including the people and their cover
# faces needed to pick whom a person link shows. Every face of a person ("faces") is the studio's
# curation work, and so are all writes except sharing and hiding photos (docs/sharing.md, "Organizers").
_CAN = {
    "view": _MEMBERS | {ORGANIZER},
    "faces": _MEMBERS,
    "upload": _WRITERS,
    "curate": _WRITERS,
    "share": _WRITERS | {ORGANIZER},
    "invite": _WRITERS,
    "delete": _MANAGERS,
    "create_event": _WRITERS,
    "administer": _MANAGERS,
    # The event's camera account (FTP): who uploads reads its credentials and makes a new password;
    # turning camera upload on or off for the event is the owners' and admins' call.
    "camera_upload": _WRITERS,
    "camera_switch": _MANAGERS,
}

# The role an API key's service account holds in its studio, by the key's scope (defined beside the scopes
# in core.tenancy.models, which core.tenancy.api_keys uses without importing this module: no cycle);
# what a scope may do beyond that role (read only, upload only, never manage keys) is core.api_keys.key_may.
KEY_SCOPE_ROLES = API_KEY_SCOPE_ROLES
# Who is e-mailed when a guest asks to be forgotten (sharing.services.removal_notices): the owners, who
# answer for the guests' data; everyone who may curate sees the request on the event's page.
REMOVAL_NOTICE_ROLES = frozenset({Role.OWNER})


def role_can(role: str | None, action: str) -> bool:
    return role is not None and role in _CAN[action]


def membership_can(membership: Membership | None, action: str) -> bool:
    """A studio-level check (STUDIO_ACTIONS) through the caller's membership; None (no studio) may nothing."""
    return membership is not None and role_can(membership.role, action)


# The team (core.team): owners and admins manage it ("administer"); only an owner gives or takes the owner
# role, or changes or removes another owner; the last owner stays (the studio needs one).
OWNER_ROLES = frozenset({Role.OWNER})
DEFAULT_INVITE_ROLE = Role.PHOTOGRAPHER  # a second shooter
# What each role may do, in words, for the team page's invitation form (the table above, summarised).
ROLE_SUMMARIES = {
    Role.OWNER: "everything, including the studio's owners",
    Role.ADMIN: "everything but the owner role: settings, team, API keys, deleting events",
    Role.PHOTOGRAPHER: "creates events, uploads, curates people, shares",
    Role.VIEWER: "sees events and photos; changes nothing",
}


def is_owner(role: str | None) -> bool:
    return role in OWNER_ROLES


def role_may_assign(actor_role: str | None, current_role: str | None, new_role: str | None) -> bool:
    """May `actor_role` move a member from `current_role` (None: not yet a member) to `new_role` (None: removed)?"""
    if not role_can(actor_role, "administer"):
        return False
    if is_owner(current_role) or is_owner(new_role):
        return is_owner(actor_role)
    return True

