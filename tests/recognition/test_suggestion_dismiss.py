""""Not the same person": a dismissed merge suggestion never returns, blocks the automatic merge,
and can be taken back; only the event's curators may dismiss, other studios get 404."""
import pytest

from recognition.models import DismissedPair, Face, Person
from recognition.services.people import event_people_update
from tests.recognition.helpers import bbt_people_paths, event_with_faces


def _person_of(event, filename: str) -> int:
    return Face.objects.get(event=event, photo__original_filename=filename).person_id


@pytest.fixture
def split_sheldon(studio_a, alice, face_pipeline):
    """bbt/people with Sheldon cut into two machine-made people, as separate clusters would leave him."""
    event = event_with_faces(studio_a, alice, bbt_people_paths(), face_pipeline)
    second = Person.objects.create(studio_id=event.studio_id, event=event)
    Face.objects.filter(event=event, photo__original_filename__in=["sheldon4.png", "sheldon5.png"]).update(person=second)
    return event, _person_of(event, "sheldon1.png"), second.id


def _suggested(client, event) -> set[frozenset]:
    response = client.get(f"/api/v1/events/{event.id}/people/suggestions/")
    assert response.status_code == 200, response.content
    return {frozenset(s["person_ids"]) for s in response.json()}


def _post(client, event, action: str, person_ids):
    return client.post(f"/api/v1/events/{event.id}/people/suggestions/{action}/", {"person_ids": person_ids},
                       format="json")


def test_a_dismissed_suggestion_never_returns_and_blocks_the_merge(split_sheldon, as_alice):
    event, first, second = split_sheldon
    pair = frozenset((first, second))
    assert pair in _suggested(as_alice, event)

    assert _post(as_alice, event, "dismiss", [second, first]).status_code == 204
    assert _post(as_alice, event, "dismiss", [first, second]).status_code == 204  # twice: harmless
    assert DismissedPair.objects.filter(event=event).count() == 1
    assert pair not in _suggested(as_alice, event)
    assert event_people_update(event=event, recluster_unassigned=True)["merged_people"] == 0
    assert _person_of(event, "sheldon4.png") == second and _person_of(event, "sheldon1.png") == first
    assert pair not in _suggested(as_alice, event)

    assert _post(as_alice, event, "restore", [first, second]).status_code == 204
    assert pair in _suggested(as_alice, event)
    assert event_people_update(event=event, recluster_unassigned=True)["merged_people"] == 1
    assert {_person_of(event, f"sheldon{i}.png") for i in range(1, 6)} == {first}


def test_only_curators_of_the_studio_may_dismiss(split_sheldon, as_charlie, as_vera, as_alice):
    event, first, second = split_sheldon
    assert _post(as_charlie, event, "dismiss", [first, second]).status_code == 404  # studio B
    assert _post(as_charlie, event, "restore", [first, second]).status_code == 404
    assert _post(as_vera, event, "dismiss", [first, second]).status_code == 403  # a viewer of studio A
    assert not DismissedPair.objects.exists()
    bad = _post(as_alice, event, "dismiss", [first, first])
    assert bad.status_code == 400 and bad.json()["error"]["code"] in {"invalid", "pair_invalid"}


def test_a_person_of_another_event_is_not_found(split_sheldon, studio_a, alice, face_pipeline, as_alice):
    event, first, _ = split_sheldon
    other = event_with_faces(studio_a, alice, ["bbt/people/amy/amy1.png"], face_pipeline)
    stranger = _person_of(other, "amy1.png")
    assert _post(as_alice, event, "dismiss", [first, stranger]).status_code == 404
    assert not DismissedPair.objects.exists()
