"""core/idempotency.py as a table: principal × studio header × path × body × state of the first request.

Every row sends two POSTs with the same Idempotency-Key. The first is alice's `POST /api/v1/events/
{"name": "Gala"}` in studio A. The second differs in one thing or none, after the first got to a
given state, and must be answered as the row says. A key belongs to one principal (user or API
key) in one studio, and a record stands for one request (method, path and body): a second request
that runs anew must then replay *its own* answer on retry, never another principal's or another
studio's that used the same key.
"""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.tenancy.api_keys import api_key_create
from core.tenancy.models import IdempotencyRecord, Role
from events.models import Event
from tests.factories import EventFactory, MembershipFactory, client_for

KEY = "retry-7f1c"
REPLAY, ANEW, IN_PROGRESS, REUSED = "replays the first answer", "runs anew", "409 request_in_progress", \
    "422 idempotency_key_reused"

# who sends the second request, X-Studio (None: the caller's oldest studio), path, body name,
# state of the first request when the second arrives -> outcome
ROWS = [
    ("alice", "a", "events", "Gala", "answered", REPLAY),
    ("alice", None, "events", "Gala", "answered", REPLAY),  # no header: alice's oldest studio, A, as before
    ("alice", "a", "events", "Gala", "running", IN_PROGRESS),
    ("alice", "a", "events", "Gala", "abandoned", ANEW),  # "running" for 11 minutes: it died with its process
    ("alice", "a", "events", "Gala", "expired", ANEW),
    ("alice", "a", "events", "Other", "answered", REUSED),
    ("alice", "a", "events", "Other", "running", REUSED),
    ("alice", "a", "share-links", "Gala", "answered", REUSED),  # same body, another path
    ("alice", "a", "share-links", "Gala", "running", REUSED),
    ("alice", "b", "events", "Gala", "answered", ANEW),  # the same key in her other studio acts there
    ("alice", "b", "events", "Gala", "running", ANEW),
    ("bob", "a", "events", "Gala", "answered", ANEW),  # another user of studio A
    ("bob", "a", "events", "Gala", "running", ANEW),
    ("A's upload key", "a", "events", "Gala", "answered", ANEW),  # a key of studio A made by alice
    ("A's upload key", "a", "events", "Gala", "running", ANEW),
]


class World:
    def __init__(self):
        owner = MembershipFactory(role=Role.OWNER)
        self.alice, self.a = owner.user, owner.studio
        self.b = MembershipFactory(user=self.alice, role=Role.PHOTOGRAPHER).studio  # alice also works for B
        self.gala = EventFactory(studio=self.a)
        key = api_key_create(studio=self.a, name="Lightroom", scope="upload", created_by=self.alice).key
        keyed = APIClient()
        keyed.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        self.clients = {"alice": client_for(self.alice),
                        "bob": client_for(MembershipFactory(studio=self.a, role=Role.PHOTOGRAPHER).user),
                        "A's upload key": keyed}
        self.slugs = {"a": self.a.slug, "b": self.b.slug, None: None}
        self.paths = {"events": "/api/v1/events/", "share-links": f"/api/v1/events/{self.gala.id}/share-links/"}

    def send(self, who: str, studio: str | None, path: str, name: str):
        headers = {"HTTP_IDEMPOTENCY_KEY": KEY} | ({"HTTP_X_STUDIO": self.slugs[studio]} if studio else {})
        return self.clients[who].post(self.paths[path], {"name": name}, format="json", **headers)


def put_first_request_in(state: str) -> None:
    """The first request's record as it stands in that state (the row is inserted before the work runs)."""
    record = IdempotencyRecord.objects.get(key=KEY)
    long_ago = timezone.now() - timedelta(minutes=11)
    changes = {"answered": {}, "running": {"status": None, "body": None},
               "abandoned": {"status": None, "body": None, "created_at": long_ago},
               "expired": {"expires_at": timezone.now() - timedelta(seconds=1)}}[state]
    IdempotencyRecord.objects.filter(id=record.id).update(**changes)


@pytest.mark.parametrize("who, studio, path, name, state, outcome", ROWS)
def test_the_second_request_with_the_same_key(db, who, studio, path, name, state, outcome):
    world = World()
    first = world.send("alice", "a", "events", "Gala")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    put_first_request_in(state)
    events_before = Event.objects.count()

    second = world.send(who, studio, path, name)

    if outcome == REPLAY:
        assert (second.status_code, second.json()) == (201, first.json()) and second["Idempotent-Replayed"] == "true"
        assert Event.objects.count() == events_before
    elif outcome == ANEW:
        assert second.status_code == 201 and "Idempotent-Replayed" not in second
        created = Event.objects.get(id=second.json()["id"])
        assert created.studio == {"b": world.b}.get(studio, world.a) and created.id != first.json()["id"]
        retry = world.send(who, studio, path, name)  # its own retry replays its own answer, nobody else's
        assert (retry.status_code, retry.json(), retry["Idempotent-Replayed"]) == (201, second.json(), "true")
        assert Event.objects.count() == events_before + 1
    else:
        status, code = outcome.split(" ")
        assert (second.status_code, second.json()["error"]["code"]) == (int(status), code)
        assert Event.objects.count() == events_before
