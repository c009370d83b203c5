"""What an event's organizer may do, as a role × action table next to the studio roles.

The organizer is the event's client (e.g. the couple): they decide who sees what, so they read what
they could show a guest (photos and originals, people with their cover faces, person albums) and may
share and hide photos; they never curate, upload, edit, invite or delete, and every face of a person
stays the studio's. Charlie owns studio B: invited as the organizer of one of A's events he gets an
organizer's rights there, never an owner's, and nothing on A's other events.

Before: organizers read every face of a person though the docs said they could not (and the docs
left out the people, albums and originals they could read, and needed to).
"""
import pytest

from events.services import event_create
from sharing.services.organizers import organizer_invite
from tests.factories import client_for
from tests.recognition.helpers import event_with_faces

OK = "ok"
# method, url, body (with {e} event, {p} photo, {n} person, {f} cover face)
ACTIONS = {
    "read event": ("get", "/api/v1/events/{e}/", None),
    "read analytics": ("get", "/api/v1/events/{e}/analytics/", None),
    "list photos": ("get", "/api/v1/events/{e}/photos/", None),
    "read photo": ("get", "/api/v1/photos/{p}/", None),
    "photo original": ("get", "/api/v1/photos/{p}/original", None),
    "hide photo": ("patch", "/api/v1/photos/{p}/", {"hidden": False}),
    "list people": ("get", "/api/v1/events/{e}/people/", None),
    "read person": ("get", "/api/v1/people/{n}/", None),
    "cover face": ("get", "/api/v1/faces/{f}/thumbnail", None),
    "person album": ("get", "/api/v1/people/{n}/album.zip", None),
    "share link": ("post", "/api/v1/events/{e}/share-links/", {"scope": "event"}),
    "every face of a person": ("get", "/api/v1/people/{n}/faces/", None),
    "rename person": ("patch", "/api/v1/people/{n}/", {"name": "Barack"}),
    "removal requests": ("get", "/api/v1/events/{e}/removal-requests/", None),
    "edit event": ("patch", "/api/v1/events/{e}/", {"name": "Renamed"}),
    "upload": ("post", "/api/v1/events/{e}/photos/", {}),
    "invite": ("post", "/api/v1/events/{e}/organizers/", {"email": "x@y.example"}),
    "delete event": ("delete", "/api/v1/events/{e}/", None),
}
READS_AND_SHARES = ["read event", "read analytics", "list photos", "read photo", "photo original",
                    "hide photo", "list people", "read person", "cover face", "person album", "share link"]
STUDIO_READS = READS_AND_SHARES[:5] + READS_AND_SHARES[6:10] + ["every face of a person"]
WRITERS = [*READS_AND_SHARES, "every face of a person", "rename person", "removal requests", "edit event", "upload",
           "invite"]
# Who may do what; everything else is a 403. Delete comes last in ACTIONS: the owner's really deletes.
ALLOWED = {
    "owner": [*WRITERS, "delete event"],
    "photographer": WRITERS,
    "viewer": STUDIO_READS,
    "organizer": READS_AND_SHARES,
    "studio B's owner as organizer": READS_AND_SHARES,
}


@pytest.fixture
def people_event(studio_a, alice, face_pipeline):
    """An event of studio A with recognised people (the faces are computed once per session)."""
    return event_with_faces(studio_a, alice, ["portraits/obama.jpg"], face_pipeline)


@pytest.fixture
def identities(people_event, alice, bob, vera, charlie):
    ana = organizer_invite(event=people_event, email="ana@couple.example", invited_by=alice, base_url="http://t").user
    organizer_invite(event=people_event, email=charlie.email, invited_by=alice, base_url="http://t")
    return {"owner": alice, "photographer": bob, "viewer": vera, "organizer": ana,
            "studio B's owner as organizer": charlie}


def _url(template: str, event) -> str:
    person = event.people.exclude(cover_face=None).order_by("id").first()
    return template.format(e=event.id, p=event.photos.get().id, n=person.id, f=person.cover_face_id)


@pytest.mark.parametrize("who", list(ALLOWED))
def test_role_by_action(people_event, identities, who):
    client, answers = client_for(identities[who]), {}
    for action, (method, template, body) in ACTIONS.items():
        response = getattr(client, method)(_url(template, people_event), body, format="json")
        # Refused is a 403 (or a 404 for what the caller cannot reach); anything else got past the role check.
        answers[action] = response.status_code if response.status_code in (403, 404) else OK
    expected = {action: OK if action in ALLOWED[who] else 403 for action in ACTIONS}
    assert answers == expected


def test_an_organizer_reaches_nothing_of_the_studios_other_events(people_event, identities):
    other = event_create(studio=people_event.studio, user=identities["owner"], name="Another wedding")
    for who in ("organizer", "studio B's owner as organizer"):
        client = client_for(identities[who])
        assert client.get(f"/api/v1/events/{other.id}/").status_code == 404
        assert client.post(f"/api/v1/events/{other.id}/share-links/", {"scope": "event"}, format="json").status_code == 404
        listed = {event["id"] for event in client.get("/api/v1/events/").json()["results"]}
        assert other.id not in listed and people_event.id in listed
