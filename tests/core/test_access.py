"""core/access.py as a spec: every role × every action, through the real API endpoints.

The table below is written out by hand, one column per kind of caller, and read like the role
table in docs/sharing.md. Two things are pinned: that core.access says the same thing (so the spec
and the rule cannot drift apart), and that each endpoint does it. Studio A has an owner, an admin,
a photographer, a viewer and an event with an organizer (the event's client). Two callers come from
other studios: the owner of studio B invited as organizer of A's event gets an organizer's rights
there and nothing more (if the role lookup forgot which studio it asks about, B's owner would be
treated as an owner of A's event and could delete it), and the owner of studio C, who is nothing
to A (every A object is a 404 to them, the same answer as a missing one).
"""
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.access import ACTIONS, KEY_SCOPE_ROLES, REMOVAL_NOTICE_ROLES, STUDIO_ACTIONS, role_can
from core.tenancy.models import Membership, Role, StudioApiKey
from events.models import Event
from recognition.models import Person
from sharing.models import ShareLink
from tests.factories import (EventFactory, EventOrganizerFactory, MembershipFactory, PhotoFactory, client_for,
                             jpeg_bytes)
from tests.factories.recognition import PersonFactory
from camera.models import CameraAccount
from core.tenancy.api_keys import api_key_create

OK, DENIED, NOT_FOUND, SIGN_IN = "ok", 403, 404, 401
CALLERS = ("owner", "admin", "photographer", "viewer", "organizer", "B's owner as organizer", "outsider", "anonymous")

# action         owner admin photographer viewer  organizer  B's owner as organizer  outsider   anonymous
SPEC = {
    "view":         (OK, OK, OK,     OK,     OK,        OK,        NOT_FOUND, SIGN_IN),
    "faces":        (OK, OK, OK,     OK,     DENIED,    DENIED,    NOT_FOUND, SIGN_IN),
    "upload":       (OK, OK, OK,     DENIED, DENIED,    DENIED,    NOT_FOUND, SIGN_IN),
    "curate":       (OK, OK, OK,     DENIED, DENIED,    DENIED,    NOT_FOUND, SIGN_IN),
    "share":        (OK, OK, OK,     DENIED, OK,        OK,        NOT_FOUND, SIGN_IN),
    "invite":       (OK, OK, OK,     DENIED, DENIED,    DENIED,    NOT_FOUND, SIGN_IN),
    "delete":       (OK, OK, DENIED, DENIED, DENIED,    DENIED,    NOT_FOUND, SIGN_IN),
    # The event's camera account (FTP): a new password for those who upload; the on/off switch for managers.
    "camera_upload": (OK, OK, OK,    DENIED, DENIED,    DENIED,    NOT_FOUND, SIGN_IN),
    "camera_switch": (OK, OK, DENIED, DENIED, DENIED,   DENIED,    NOT_FOUND, SIGN_IN),
    # Studio-level actions, asked of studio A (X-Studio): organizers have no studio, so no studio is found.
    "create_event": (OK, OK, OK,     DENIED, NOT_FOUND, NOT_FOUND, NOT_FOUND, SIGN_IN),
    "administer":   (OK, OK, DENIED, DENIED, NOT_FOUND, NOT_FOUND, NOT_FOUND, SIGN_IN),
}
# The roles core.access knows, by caller (the other callers have no role on A's event).
ROLE_OF = {"owner": Role.OWNER, "admin": Role.ADMIN, "photographer": Role.PHOTOGRAPHER, "viewer": Role.VIEWER,
           "organizer": "organizer", "B's owner as organizer": "organizer"}


class World:
    """Studio A's objects and one API client per caller."""

    def __init__(self):
        owner = MembershipFactory(role=Role.OWNER)
        self.studio = owner.studio
        self.event = EventFactory(studio=self.studio, name="A's wedding")
        self.photo = PhotoFactory(event=self.event)
        self.person = PersonFactory(event=self.event, name="Ana")
        b_owner = MembershipFactory(role=Role.OWNER).user
        EventOrganizerFactory(event=self.event, user=b_owner)  # B's owner, invited by A as the event's client
        users = {
            "owner": owner.user,
            "admin": MembershipFactory(studio=self.studio, role=Role.ADMIN).user,
            "photographer": MembershipFactory(studio=self.studio, role=Role.PHOTOGRAPHER).user,
            "viewer": MembershipFactory(studio=self.studio, role=Role.VIEWER).user,
            "organizer": EventOrganizerFactory(event=self.event).user,
            "B's owner as organizer": b_owner,
            "outsider": MembershipFactory(role=Role.OWNER).user,  # owns studio C
        }
        self.clients = {who: client_for(user) for who, user in users.items()} | {"anonymous": APIClient()}


# Each action: the request that needs it, and what it changed (None for reads: the answer is the effect).
REQUESTS = {
    "view": lambda w: ("get", f"/api/v1/events/{w.event.id}/", None),
    "faces": lambda w: ("get", f"/api/v1/people/{w.person.id}/faces/", None),
    "upload": lambda w: ("post", f"/api/v1/events/{w.event.id}/photos/",
                         {"files": [SimpleUploadedFile("new.jpg", jpeg_bytes(color=(9, 9, 9)), "image/jpeg")]}),
    "curate": lambda w: ("patch", f"/api/v1/people/{w.person.id}/", {"name": "Renamed"}),
    "share": lambda w: ("post", f"/api/v1/events/{w.event.id}/share-links/", {"scope": "event"}),
    "invite": lambda w: ("post", f"/api/v1/events/{w.event.id}/organizers/", {"email": "new@client.example"}),
    "delete": lambda w: ("delete", f"/api/v1/events/{w.event.id}/", None),
    "camera_upload": lambda w: ("post", f"/api/v1/events/{w.event.id}/camera-upload/rotate/", None),
    "camera_switch": lambda w: ("patch", f"/api/v1/events/{w.event.id}/camera-upload/", {"enabled": False}),
    "create_event": lambda w: ("post", "/api/v1/events/", {"name": "Made by the table"}),
    "administer": lambda w: ("post", "/api/v1/studio/api-keys/", {"name": "Table key", "scope": "read"}),
}
EFFECTS = {
    "upload": lambda w: w.event.photos.count() == 2,
    "curate": lambda w: Person.objects.get(id=w.person.id).name == "Renamed",
    "share": lambda w: ShareLink.objects.filter(event=w.event).exists(),
    "invite": lambda w: w.event.organizers.filter(user__email="new@client.example").exists(),
    "delete": lambda w: not Event.objects.filter(id=w.event.id).exists(),
    "camera_upload": lambda w: CameraAccount.objects.filter(event=w.event).exclude(password_hash="").exists(),
    "camera_switch": lambda w: CameraAccount.objects.filter(event=w.event, enabled=False).exists(),
    "create_event": lambda w: Event.objects.filter(studio=w.studio, name="Made by the table").exists(),
    "administer": lambda w: StudioApiKey.objects.filter(studio=w.studio, name="Table key").exists(),
}


def test_the_spec_covers_every_action_of_core_access():
    assert set(SPEC) == set(ACTIONS) | set(STUDIO_ACTIONS)


@pytest.mark.parametrize("action", list(SPEC))
@pytest.mark.parametrize("who", list(ROLE_OF))
def test_core_access_says_what_the_spec_says(who, action):
    assert role_can(ROLE_OF[who], action) == (SPEC[action][CALLERS.index(who)] == OK)


@pytest.mark.parametrize("action", list(SPEC))
@pytest.mark.parametrize("who", CALLERS)
def test_each_caller_may_do_exactly_what_the_spec_says(db, who, action):
    world = World()
    method, url, body = REQUESTS[action](world)
    fmt = "multipart" if action == "upload" else "json"
    response = getattr(world.clients[who], method)(url, body, format=fmt, HTTP_X_STUDIO=world.studio.slug)
    expected = SPEC[action][CALLERS.index(who)]
    answer = OK if response.status_code < 300 else response.status_code
    assert answer == expected, response.content[:300]
    if action in EFFECTS:  # a refused request changed nothing; an allowed one did what it said
        assert EFFECTS[action](world) == (expected == OK)


def test_an_api_keys_role_follows_its_scope(db):
    """A key acts as a viewer, a photographer or an admin of its studio (what its scope then allows
    on top is tests/core/test_api_keys.py); removal requests are mailed to owners only."""
    assert KEY_SCOPE_ROLES == {"read": Role.VIEWER, "upload": Role.PHOTOGRAPHER, "full": Role.ADMIN}
    assert REMOVAL_NOTICE_ROLES == {Role.OWNER}
    owner = MembershipFactory(role=Role.OWNER)
    for scope, role in KEY_SCOPE_ROLES.items():
        key = api_key_create(studio=owner.studio, name=scope, scope=scope, created_by=owner.user).api_key
        assert Membership.objects.get(user=key.service_user).role == role


# Role names compared, or a set of roles, anywhere but here: a rule living outside core/access.py.
ROLE_RULE = re.compile(r"\bRole\.(OWNER|ADMIN|PHOTOGRAPHER|VIEWER)\b|\brole\s+(not\s+)?in\s+([(\[{]|[A-Z_]+\b)"
                       r"|\.role\s*[!=]=|_ROLES\s*=|\bcan_write\b")
REPO = Path(__file__).resolve().parents[2]
NOT_RULES = {
    "core/access.py": "the rules",
    "core/tenancy/models.py": "defines the roles",
    "core/tenancy/services.py": "studio_create makes the studio's first owner",
}


def test_no_app_keeps_a_role_rule_of_its_own():
    found = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
             for package in ("core", "events", "recognition", "sharing", "webhooks", "web", "visage")
             for path in sorted((REPO / package).rglob("*.py"))
             if "migrations" not in path.parts and str(path.relative_to(REPO)) not in NOT_RULES
             for number, line in enumerate(path.read_text().splitlines(), 1) if ROLE_RULE.search(line)]
    assert found == [], "role rules outside core/access.py:\n" + "\n".join(found)
