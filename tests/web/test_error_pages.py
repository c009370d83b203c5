"""The product's 403, 404 and 500 pages (templates/403.html, 404.html, 500.html) with a way back; the API
keeps its JSON error body; and `make run`'s settings show them (no debug pages unless asked for)."""
import json

import pytest
from django.test import Client, RequestFactory

from events import services
from tests.factories import page_client
from visage import urls as root_urls
from visage.settings.surface import Surface



@pytest.fixture
def event(studio_a, alice):
    return services.event_create(studio=studio_a, user=alice, name="Ana & Ben")


def test_a_missing_page_is_the_products_404_with_a_way_back(alice):
    response = page_client(alice).get("/events/999999/")
    page = response.content.decode()
    assert response.status_code == 404 and "We can't find that page" in page
    assert 'href="/">Back to your events' in page and "pages.css" in page


def test_a_signed_out_visitor_is_sent_to_sign_in_from_the_404(client, db):
    page = client.get("/no-such-page/").content.decode()
    assert "We can't find that page" in page and 'href="/login/">Go to sign-in' in page


def test_another_studios_event_is_the_same_404(event, charlie):
    response = page_client(charlie).get(f"/events/{event.id}/")
    assert response.status_code == 404 and "We can't find that page" in response.content.decode()


def test_a_refused_page_is_the_products_403_with_its_reason(event, vera):
    response = page_client(vera).get(f"/events/{event.id}/people/")  # a viewer may not curate
    page = response.content.decode()
    assert response.status_code == 403 and "You can't do this here" in page
    assert "Only the studio curates people." in page and "Back to your events" in page
    assert "403 Forbidden" not in page


def test_the_api_keeps_its_json_error_body(event, as_charlie):
    missing = as_charlie.get("/api/v1/no-such-endpoint/")
    assert missing.status_code == 404 and json.loads(missing.content)["error"]["code"] == "not_found"
    foreign = as_charlie.get(f"/api/v1/events/{event.id}/")
    assert foreign.status_code == 404 and foreign["Content-Type"].startswith("application/json")


def test_a_page_crash_is_the_products_500_and_the_apis_stays_json(db):
    page = root_urls.handler500(RequestFactory().get("/events/1/"))
    assert page.status_code == 500 and "Something went wrong on our side" in page.content.decode()
    assert 'href="/">Back to the start page' in page.content.decode()
    api = root_urls.handler500(RequestFactory().get("/api/v1/events/1/"))
    assert api.status_code == 500 and json.loads(api.content)["error"]["code"] == "server_error"


def test_a_403_outside_drf_under_the_api_is_json(db):
    from django.core.exceptions import PermissionDenied

    response = root_urls.handler403(RequestFactory().get("/api/v1/x/"), PermissionDenied("no"))
    assert response.status_code == 403 and json.loads(response.content)["error"]["code"] == "permission_denied"


def test_a_crashing_page_renders_500_through_django(db, settings):
    settings.ROOT_URLCONF = "tests.web.crash_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()


def test_make_run_shows_no_debug_pages_unless_a_developer_asks(monkeypatch):
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    assert Surface("local").django.debug is False
    monkeypatch.setenv("DJANGO_DEBUG", "true")
    assert Surface("local").django.debug is True


def test_a_refused_form_post_is_the_products_page(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "alice@a.example", "password": "pw-alice-123"})
    page = response.content.decode()
    assert response.status_code == 403 and "This form expired" in page and "Go to sign-in" in page
