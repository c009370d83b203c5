"""A write to an address without its trailing slash is a 404 that names the right address, on
`make run` (DEBUG) as in production; GET and HEAD are still redirected.

Before: under DEBUG, POST/PATCH/PUT to such an address raised Django's APPEND_SLASH RuntimeError (its
debug page); without DEBUG it was a 301 that clients follow as a GET, dropping the body.
"""
import pytest
from django.test import Client

from tests.abuse.conftest import assert_error
from tests.factories import client_for


@pytest.fixture(params=[True, False], ids=["DEBUG", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_api_writes_without_the_slash_name_the_address(debug, alice, method):
    response = client_for(alice).generic(method, "/api/v1/events", '{"name": "x"}', content_type="application/json")
    error = assert_error(response, 404, "not_found")
    assert error["message"].endswith("/api/v1/events/")


def test_anonymous_sign_in_without_the_slash_is_a_404_too(debug, db):
    response = Client().post("/api/v1/auth/token", {"email": "a@b.example", "password": "x"})
    assert_error(response, 404, "not_found")


def test_page_forms_without_the_slash_get_a_page_naming_the_address(debug, alice):
    browser = Client()
    browser.force_login(alice)
    response = browser.post("/events/new", {"name": "x"})
    assert response.status_code == 404 and b"/events/new/" in response.content


def test_reads_are_still_redirected(debug, alice):
    response = client_for(alice).get("/api/v1/events")
    assert response.status_code == 301 and response["Location"] == "/api/v1/events/"
