"""The access rules: which role may do which action. Objects are looked up by the apps that own
them (events.access); this table is the one place that says what a role allows."""
from core.tenancy.models import Role

# Not a studio role: a person invited to one event (sharing.services.organizers).
ORGANIZER = "organizer"

ACTIONS = ("view", "upload", "curate", "share", "invite", "delete")
_CAN = {
    "view": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER, Role.VIEWER, ORGANIZER},
    "upload": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "curate": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "share": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER, ORGANIZER},
    "invite": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "delete": {Role.OWNER, Role.ADMIN},
}


def role_can(role: str | None, action: str) -> bool:
    return role is not None and role in _CAN[action]
