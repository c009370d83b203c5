"""The access rules: which role may do which action. Objects are looked up by the apps that own
them (events.access); this table is the one place that says what a role allows."""
from core.tenancy.models import Role

# Not a studio role: a person invited to one event (sharing.services.organizers).
ORGANIZER = "organizer"

ACTIONS = ("view", "faces", "upload", "curate", "share", "invite", "delete", "camera_upload", "camera_switch")
# An organizer (the event's client) decides what guests see, and may mint links that show guests the
# photos, originals and person albums: they read all of that too, including the people and their cover
# faces needed to pick whom a person link shows. Every face of a person ("faces") is the studio's
# curation work, and so are all writes except sharing and hiding photos (docs/sharing.md, "Organizers").
_CAN = {
    "view": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER, Role.VIEWER, ORGANIZER},
    "faces": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER, Role.VIEWER},
    "upload": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "curate": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "share": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER, ORGANIZER},
    "invite": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "delete": {Role.OWNER, Role.ADMIN},
    # The event's camera account (FTP): who uploads reads its credentials and makes a new password;
    # turning camera upload on or off for the event is the owners' and admins' call.
    "camera_upload": {Role.OWNER, Role.ADMIN, Role.PHOTOGRAPHER},
    "camera_switch": {Role.OWNER, Role.ADMIN},
}


def role_can(role: str | None, action: str) -> bool:
    return role is not None and role in _CAN[action]
