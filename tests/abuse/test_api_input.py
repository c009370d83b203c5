"""Malformed input is a 4xx in the API's one error shape, never a 500 or a debug page.

Before: deeply nested JSON crashed all 14 JSON endpoints (RecursionError → 500) and integers of
2**70 crashed 6 routes (overflowing a 64-bit column in the query).
"""
import pytest

from tests.abuse.conftest import assert_error, guest_client, make_link
from tests.factories import client_for

DEEP = "[" * 50_000 + "]" * 50_000
HUGE = 2**70


def json_endpoints(event, link_token):
    photo = event.photos.first()
    return [
        ("/api/v1/auth/token/", False),
        ("/api/v1/events/", True),
        (f"/api/v1/events/{event.id}/share-links/", True),
        (f"/api/v1/events/{event.id}/organizers/", True),
        (f"/api/v1/photos/{photo.id}/", True),
        (f"/api/v1/guest/{link_token}/session", False),
    ]


def test_deeply_nested_json_is_a_400_everywhere(event, alice):
    link = make_link(event)
    for url, signed_in in json_endpoints(event, link.token):
        client = client_for(alice) if signed_in else guest_client()
        method = "PATCH" if "/photos/" in url else "POST"
        response = client.generic(method, url, DEEP, content_type="application/json")
        assert_error(response, 400, "malformed_request")


def test_huge_integers_in_json_are_a_400(event, alice):
    body = f'{{"name": "x", "person_ids": [{HUGE}], "max_uses": {HUGE}}}'
    for url, _ in json_endpoints(event, make_link(event).token)[1:5]:
        method = "PATCH" if "/photos/" in url else "POST"
        response = client_for(alice).generic(method, url, body, content_type="application/json")
        assert_error(response, 400, "malformed_request")


@pytest.mark.parametrize("template", [
    "/api/v1/events/{n}/", "/api/v1/photos/{n}/", "/api/v1/photos/{n}/original", "/api/v1/people/{n}/",
    "/api/v1/people/{n}/faces/", "/api/v1/events/{n}/people/", "/api/v1/events/{n}/share-links/{n}/",
])
def test_huge_ids_in_urls_are_a_404(alice, template):
    response = client_for(alice).get(template.format(n=HUGE))
    assert_error(response, 404, "not_found")


def test_huge_integers_in_forms_are_a_400(event, alice):
    response = client_for(alice).post(f"/api/v1/events/{event.id}/share-links/", {"max_uses": str(HUGE)})
    assert_error(response, 400, "invalid")
    response = client_for(alice).post(f"/api/v1/events/{event.id}/share-links/", {"person": str(HUGE), "scope": "person"})
    assert_error(response, 400, "invalid")


def test_oversized_json_is_a_413(event, alice, settings):
    settings.VISAGE_MAX_JSON_BYTES = 1000
    response = client_for(alice).generic("POST", "/api/v1/events/", '{"name": "' + "x" * 2000 + '"}',
                                         content_type="application/json")
    assert_error(response, 413, "request_too_large")


def test_validation_errors_keep_their_fields_in_details(alice):
    error = assert_error(client_for(alice).post("/api/v1/events/", {"name": "  "}, format="json"), 400, "invalid")
    assert "name" in error["details"]


def test_unknown_api_urls_answer_json(alice):
    assert_error(client_for(alice).get("/api/v1/no-such-thing/"), 404, "not_found")


def test_photo_and_event_404s_say_the_same_for_missing_and_foreign(event, alice, charlie):
    from events.models import Photo

    foreign_photo = Photo.objects.filter(event=event).first()
    outsider = client_for(charlie)
    missing, foreign = outsider.get("/api/v1/photos/999999/"), outsider.get(f"/api/v1/photos/{foreign_photo.id}/")
    assert missing.status_code == foreign.status_code == 404 and missing.json() == foreign.json()
    missing, foreign = outsider.get("/api/v1/events/999999/"), outsider.get(f"/api/v1/events/{event.id}/")
    assert missing.json() == foreign.json()
