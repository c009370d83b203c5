"""Curation feedback a photographer can trust: counts right after split and "not this person", undo
named and scoped to the page it was made on (refused while a later change depends on it), and a pair
just split never suggested back as "the same person"."""
import numpy as np
import pytest

from recognition.models import CurationAction, DismissedPair, Face, Person
from recognition.services.people import event_merge_suggestions
from tests.factories.events import EventFactory
from tests.recognition.people_helpers import near, person_in_photos


@pytest.fixture
def event(studio_a):
    return EventFactory(studio=studio_a, name="Wedding")


def undo(client, event, **body):
    return client.post(f"/api/v1/events/{event.id}/people/undo/", body, format="json")


def test_counts_are_right_right_after_split_and_reject(event, as_alice, client, alice):
    ana = person_in_photos(event, name="Ana", photos=4)
    faces = list(ana.faces.order_by("id").values_list("id", flat=True))
    split = as_alice.post(f"/api/v1/people/{ana.id}/split/", {"face_ids": faces[:1], "scope": f"person:{ana.id}"},
                          format="json")
    assert split.status_code == 201 and split.json()["photo_count"] == split.json()["face_count"] == 1
    after = as_alice.get(f"/api/v1/people/{ana.id}/").json()
    assert (after["photo_count"], after["face_count"]) == (3, 3)
    rejected = as_alice.post(f"/api/v1/people/{ana.id}/reject/", {"face_ids": faces[1:3]}, format="json").json()
    assert (rejected["photo_count"], rejected["face_count"]) == (1, 1)
    assert rejected["undo"]["label"] == "took 2 faces out of Ana (not this person)"
    client.force_login(alice)
    page = client.get(f"/events/{event.id}/people/{ana.id}/")
    assert page.status_code == 200 and "1 photo · 1 face" in page.content.decode()  # the page's own header
    listed = {p["id"]: p for p in as_alice.get(f"/api/v1/events/{event.id}/people/").json()}
    assert listed[ana.id]["photo_count"] == 1 and listed[split.json()["id"]]["photo_count"] == 1


def test_undo_is_named_and_scoped_to_its_page(event, as_alice, client, alice):
    ana = person_in_photos(event, name="Ana", photos=2)
    stranger = person_in_photos(event, photos=1)
    ben = person_in_photos(event, name="Ben", photos=2)
    merged = as_alice.post(f"/api/v1/people/{ana.id}/merge/", {"person_ids": [stranger.id], "scope": "people"},
                           format="json").json()
    assert merged["undo"]["label"] == f"merged Person {stranger.id} into Ana"
    # Later, on Ben's own page, a rename: the People page's undo must not take it back.
    renamed = as_alice.patch(f"/api/v1/people/{ben.id}/", {"name": "Benedikt", "scope": f"person:{ben.id}"},
                             format="json").json()
    assert renamed["undo"]["label"] == "renamed Ben to Benedikt"
    client.force_login(alice)
    people_page = client.get(f"/events/{event.id}/people/?filter=all").content.decode()
    assert f"Undo: merged Person {stranger.id} into Ana" in people_page and "Benedikt" in people_page
    assert "Undo: renamed Ben" not in people_page
    assert "Undo: renamed Ben to Benedikt" in client.get(f"/events/{event.id}/people/{ben.id}/").content.decode()

    response = undo(as_alice, event, scope="people")
    assert response.status_code == 200 and response.json()["label"] == f"merged Person {stranger.id} into Ana"
    assert Person.objects.get(id=ben.id).name == "Benedikt" and Person.objects.filter(id=stranger.id).exists()
    nothing = undo(as_alice, event, scope="people")
    assert nothing.status_code == 400 and "nothing to undo on this page" in nothing.json()["error"]["message"]
    assert undo(as_alice, event, scope=f"person:{ben.id}").json()["label"] == "renamed Ben to Benedikt"
    assert Person.objects.get(id=ben.id).name == "Ben"


def test_undo_of_a_change_a_later_one_depends_on_is_refused_with_the_reason(event, as_alice):
    ana = person_in_photos(event, name="Ana", photos=2)
    stranger = person_in_photos(event, photos=1)
    merge = as_alice.post(f"/api/v1/people/{ana.id}/merge/", {"person_ids": [stranger.id], "scope": "people"},
                          format="json").json()["undo"]
    face = Face.objects.filter(person=ana).order_by("id").first()
    split = as_alice.post(f"/api/v1/people/{ana.id}/split/", {"face_ids": [face.id], "scope": f"person:{ana.id}"},
                          format="json").json()["undo"]
    refused = undo(as_alice, event, action_id=merge["action_id"])
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "undo_blocked" and error["details"] == {"action_id": merge["action_id"],
                                                                    "blocked_by": split["action_id"]}
    assert f"“{merge['label']}” can't be undone" in error["message"] and split["label"] in error["message"]
    assert Person.objects.filter(id=stranger.id).count() == 0  # nothing changed
    assert undo(as_alice, event, action_id=split["action_id"]).status_code == 200
    assert undo(as_alice, event, action_id=merge["action_id"]).json()["label"] == merge["label"]
    assert Person.objects.get(id=stranger.id).faces.count() == 1 and Person.objects.get(id=ana.id).faces.count() == 2
    again = undo(as_alice, event, action_id=merge["action_id"])
    assert again.status_code == 400 and "already undone" in again.json()["error"]["message"]


def test_undo_of_an_unrelated_earlier_change_is_allowed(event, as_alice, as_charlie):
    ana = person_in_photos(event, name="Ana", photos=1)
    ben = person_in_photos(event, name="Ben", photos=1)
    first = as_alice.patch(f"/api/v1/people/{ana.id}/", {"hidden": True}, format="json").json()["undo"]
    as_alice.patch(f"/api/v1/people/{ben.id}/", {"name": "Benedikt"}, format="json")
    assert first["label"] == "hid Ana from guests"
    assert undo(as_charlie, event, action_id=first["action_id"]).status_code == 404  # another studio's event
    assert undo(as_alice, event, action_id=first["action_id"]).status_code == 200
    assert not Person.objects.get(id=ana.id).hidden and Person.objects.get(id=ben.id).name == "Benedikt"


def test_a_pair_just_split_is_not_suggested_again(event, as_alice):
    rng = np.random.default_rng(5)
    identities = {name: (lambda v: v / np.linalg.norm(v))(rng.standard_normal(128)) for name in "abcde"}
    ana = person_in_photos(event, name="Ana", photos=4, embedding=lambda _: near(identities["a"], rng))
    for name in "bcde":  # other guests, so the event's mean face is not Ana's
        person_in_photos(event, photos=2, embedding=lambda _, n=name: near(identities[n], rng))
    assert event_merge_suggestions(event=event) == []
    faces = list(ana.faces.order_by("id").values_list("id", flat=True))
    response = as_alice.post(f"/api/v1/people/{ana.id}/split/", {"face_ids": faces[:2]}, format="json")
    half = response.json()["id"]
    assert DismissedPair.objects.filter(person_a=ana.id, person_b=half).exists()
    assert as_alice.get(f"/api/v1/events/{event.id}/people/suggestions/").json() == []
    # Without the record of the split, the two halves would be asked about straight away.
    DismissedPair.objects.filter(person_a=ana.id, person_b=half).delete()
    suggested = as_alice.get(f"/api/v1/events/{event.id}/people/suggestions/").json()
    assert [s["person_ids"] for s in suggested] == [[ana.id, half]]


def test_undoing_a_split_forgets_the_pair_with_the_new_person(event, as_alice):
    ana = person_in_photos(event, name="Ana", photos=3)
    face = ana.faces.order_by("id").first()
    response = as_alice.post(f"/api/v1/people/{ana.id}/split/", {"face_ids": [face.id]}, format="json").json()
    assert response["undo"]["label"] == f"split 1 face off Ana into Person {response['id']}"
    assert undo(as_alice, event).json()["undone"] == "split"  # no scope: the event's latest, as before
    assert not DismissedPair.objects.exists() and not Person.objects.filter(id=response["id"]).exists()
    assert CurationAction.objects.get(id=response["undo"]["action_id"]).undone_at is not None
