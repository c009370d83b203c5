"""CurationError and ShareLinkInvalid are domain errors answered by the one exception handler
(core/api_errors.py) with the same body a view's ValidationError gave before: a 400 `invalid` whose
details repeat the sentence. Pinned whole, so a client parsing them notices no change."""
from datetime import timedelta

from django.utils import timezone

from events.services import event_create


def _invalid(message: str) -> dict:
    return {"error": {"code": "invalid", "message": message, "details": [message]}}


def test_nothing_to_undo_is_a_400_invalid(as_alice, studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    response = as_alice.post(f"/api/v1/events/{event.id}/people/undo/", format="json")
    assert response.status_code == 400
    assert response.json() == _invalid("There is nothing to undo.")


def test_a_share_link_that_makes_no_sense_is_a_400_invalid(as_alice, studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    url = f"/api/v1/events/{event.id}/share-links/"
    no_person = as_alice.post(url, {"scope": "person"}, format="json")
    assert no_person.status_code == 400 and no_person.json() == _invalid("A person link needs a person of this event.")
    link = as_alice.post(url, {"scope": "selfie"}, format="json").json()
    past = (timezone.now() - timedelta(days=1)).isoformat()
    expired = as_alice.patch(f"{url}{link['id']}/", {"expires_at": past}, format="json")
    assert expired.status_code == 400 and expired.json() == _invalid("The expiry must be in the future.")
    as_alice.post(f"{url}{link['id']}/revoke/", format="json")
    revoked = as_alice.patch(f"{url}{link['id']}/", {"label": "again"}, format="json")
    assert revoked.status_code == 400
    assert revoked.json() == _invalid("A revoked link cannot be changed; create a new one.")
    assert as_alice.get(url).json()["count"] == 1  # nothing half-stored by the refused create
