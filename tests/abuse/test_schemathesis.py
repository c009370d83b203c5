"""Property-based fuzzing of the whole API from its own OpenAPI schema (/api/schema/): whatever
schemathesis sends — huge integers, odd strings, missing fields, wrong types — the answer is
never a 5xx, and it is what the schema says: a documented status, the documented content type,
a body that validates against that status's schema, the documented headers. Bounded
(VISAGE_FUZZ_EXAMPLES per operation, 8 by default) to stay near a minute or two.

Before: 2**70 in ids crashed six routes and deeply nested JSON every JSON endpoint (500); lists
answered pages where the schema promised arrays, and most error statuses were undocumented.
"""
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance, not_a_server_error, response_headers_conformance, response_schema_conformance,
    status_code_conformance,
)

from events.services import event_create
from core.authentication import token_issue


# Loaded through the app itself at collection time (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """A real WSGI call closes "old" database connections when it ends, which would close the test's
    own transaction on PostgreSQL; Django's test client unhooks the same handlers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(studio_a, alice):
    event_create(studio=studio_a, user=alice, name="Fuzzed")  # something to find besides 404s
    return f"Token {token_issue(user=alice).key}"


@schema.parametrize()
@settings(max_examples=int(os.environ.get("VISAGE_FUZZ_EXAMPLES", "8")), deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail_or_stray_from_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": token}, checks=[
        not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
        response_headers_conformance])
