"""A form with more fields than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS) is a clear 400 on
every route: the API's error shape under /api/, a plain 400 page elsewhere.

Before: 5,000 fields were a 500 on 19 endpoints, some of them anonymous (Django's TooManyFieldsSent
reached the API's exception handler unmapped).
"""
import re
from urllib.parse import urlencode

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tests.abuse.conftest import assert_error, guest_client, make_link
from tests.factories import client_for
from tests.test_isolation import ADMIN_NAMESPACE, _routes

FIELDS = 5_000
DOCUMENTATION = ("/api/schema/", "/api/docs/", "/api/redoc/")
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _fill(route: str, values: dict) -> str:
    return "/" + _PARAMETER.sub(lambda match: str(values.get(match.group(2), 1)), route)


@pytest.fixture
def urls(event):
    photo, link = event.photos.first(), make_link(event)
    values = {"event_id": event.id, "photo_id": photo.id, "token": link.token, "link_id": link.link.id}
    return [_fill(route, values) for route, namespace, _ in _routes()
            if namespace.split(":")[0] != ADMIN_NAMESPACE and "(?P" not in route and "^" not in route]


def _many_fields() -> str:
    return urlencode([(f"f{number}", "x") for number in range(FIELDS)])


def _post_everywhere(client, urls: list[str]) -> dict[str, object]:
    body = _many_fields()
    # Rotating the token last keeps the client signed in for the others.
    ordered = sorted(urls, key=lambda url: url.endswith("/token/rotate/"))
    return {url: client.generic("POST", url, body, content_type="application/x-www-form-urlencoded") for url in ordered}


def _assert_clear(answers: dict) -> int:
    """No 500 anywhere; every 400 says why. Returns how many routes refused the field count."""
    errors = {url: response.status_code for url, response in answers.items() if response.status_code >= 500}
    assert errors == {}, errors
    refused = 0
    for url, response in answers.items():
        if response.status_code != 400 or url.startswith(DOCUMENTATION):
            continue  # the schema and docs pages answer errors in their own formats
        if url.startswith("/api/v1/"):
            body = response.json()["error"]  # other 400s: views that never read the form
            refused += assert_error(response, 400, body["code"])["code"] == "too_many_fields"
        else:
            assert b"Too many fields" in response.content, (url, response.content[:300])
            refused += 1
    return refused


def _browser(user) -> Client:
    """A signed-in browser with a CSRF cookie: the CSRF check then reads the form for its token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.cookies["csrftoken"] = _get_new_csrf_string()
    return browser


def test_anonymous_forms_with_too_many_fields_are_a_400(urls):
    assert len(urls) >= 60
    answers = _post_everywhere(guest_client(), urls)
    assert _assert_clear(answers) >= 7  # sign-in, the guest routes and sign-in parse the body without a login
    assert_error(answers["/api/v1/auth/token/"], 400, "too_many_fields")


def test_signed_in_forms_with_too_many_fields_are_a_400(urls, alice):
    answers = _post_everywhere(client_for(alice), [url for url in urls if url.startswith("/api/")])
    assert _assert_clear(answers) >= 8  # the operations that read a form body


def test_browser_sessions_posting_too_many_fields_to_the_api_get_a_400(urls, alice):
    """A signed-in browser: the API's CSRF check reads the form first (the 500s were here)."""
    browser = _browser(alice)
    answers = _post_everywhere(browser, [url for url in urls if url.startswith("/api/")])
    assert _assert_clear(answers) >= 19


def test_pages_with_too_many_fields_are_a_400_page(urls, alice):
    browser = _browser(alice)
    answers = _post_everywhere(browser, [url for url in urls if not url.startswith("/api/")])
    assert _assert_clear(answers) >= 5
