"""The OpenAPI schema (/api/schema/) is one a client can be generated from: valid OpenAPI 3, every
operation written up for client developers (summary, description, example), every error status
documented with the one error body, pages documented as pages, X-Studio where it counts, and the
main lists' real responses validate against it.

Before: the event, photo and share-link lists were documented as arrays but answered pages; 27 of
46 descriptions were internal code comments; 11 operations documented any error.
"""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from events.services import event_create
from sharing.services.links import share_link_create
from tests.factories import client_for, jpeg_bytes

METHODS = ("get", "post", "put", "patch", "delete")
AUTO_ERROR_EXAMPLE = re.compile(r"^\w+ \(\d{3}\)$")  # core.schema.error_example's names
PAGINATED_LISTS = ["/api/v1/events/", "/api/v1/events/{event_id}/photos/", "/api/v1/events/{event_id}/share-links/",
                   "/api/v1/events/{event_id}/upload-rejections/"]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(node, schema):
    """The node with every $ref inlined (the API's components have no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return resolve(schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]], schema)
        if node.get("nullable") and len(node.get("allOf", ())) == 1:  # drf-spectacular's nullable object
            return {**resolve(node["allOf"][0], schema), "nullable": True}
        return {key: resolve(value, schema) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(value, schema) for value in node]
    return node


def assert_matches(schema, path, method, response):
    """The real response's status is documented and its JSON body validates against that status's schema."""
    documented = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, f"{method.upper()} {path}: {response.status_code} undocumented"
    body_schema = resolve(documented[str(response.status_code)]["content"]["application/json"]["schema"], schema)
    OAS30Validator(body_schema).validate(response.json())


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_every_operation_is_written_up_for_client_developers(schema):
    missing, seen_ids = [], set()
    for path, method, operation in operations(schema):
        examples = [example.get("summary", name)
                    for content in [*operation.get("requestBody", {}).get("content", {}).values(),
                                    *(c for r in operation["responses"].values() for c in r.get("content", {}).values())]
                    for name, example in content.get("examples", {}).items()]
        if not operation.get("summary") or len(operation.get("description", "")) < 20:
            missing.append(f"{method.upper()} {path}: summary/description")
        if not [name for name in examples if not AUTO_ERROR_EXAMPLE.match(name)]:
            missing.append(f"{method.upper()} {path}: no example of its own")
        assert re.fullmatch(r"[a-z][a-z0-9_]*", operation["operationId"]), operation["operationId"]
        assert operation["operationId"] not in seen_ids
        seen_ids.add(operation["operationId"])
        assert operation.get("tags") and operation["tags"] != ["other"], f"{path} has no area tag"
    assert missing == []


def test_every_operation_documents_its_errors_with_the_one_error_body(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = set()
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"400", "413"}
        if any("tokenAuth" in requirement for requirement in operation.get("security", [])):
            expected.add("401")
            if method != "get":
                expected.add("403")
        if path.startswith("/api/v1/guest/"):
            expected |= {"404", "410", "429"}
        assert expected <= set(responses), f"{method.upper()} {path} lacks {expected - set(responses)}"
        for status, response in responses.items():
            if status.startswith("4") or status.startswith("5"):
                body = resolve(response["content"]["application/json"]["schema"], schema)
                shapes = body.get("oneOf", [body])  # a failed upload may also answer its per-file results
                assert resolve({"$ref": "#/components/schemas/Error"}, schema) in shapes, f"{method.upper()} {path} {status}"
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "413" in schema["paths"]["/api/v1/events/{event_id}/photos/"]["post"]["responses"]
    assert "503" in schema["paths"]["/api/v1/events/{event_id}/photos/"]["post"]["responses"]


def test_lists_that_paginate_are_documented_as_pages(schema):
    for path in PAGINATED_LISTS:
        operation = schema["paths"][path]["get"]
        assert "page" in [p["name"] for p in operation["parameters"] if p["in"] == "query"]
        page = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"], schema)
        assert set(page["properties"]) == {"count", "next", "previous", "results"}
        assert page["properties"]["results"]["type"] == "array"


def test_x_studio_is_documented_where_the_studio_comes_from_the_caller(schema):
    def headers(path, method):
        return [p["name"] for p in schema["paths"][path][method].get("parameters", []) if p["in"] == "header"]

    assert "X-Studio" in headers("/api/v1/events/", "get")
    assert "X-Studio" in headers("/api/v1/events/", "post")
    assert "X-Studio" in headers("/api/v1/studio/sharing-policy/", "patch")
    assert "X-Studio" not in headers("/api/v1/guest/{token}/search", "post")
    schemes = schema["components"]["securitySchemes"]
    assert {"tokenAuth", "cookieAuth", "apiKeyAuth"} <= set(schemes)
    assert "Api-Key" in schemes["apiKeyAuth"]["description"]


def test_the_main_lists_answer_what_the_schema_says(schema, studio_a, alice, studio_b, charlie):
    event = event_create(studio=studio_a, user=alice, name="Schema check")
    client = client_for(alice)
    upload = client.post(f"/api/v1/events/{event.id}/photos/", {"files": [
        SimpleUploadedFile("one.jpg", jpeg_bytes(), content_type="image/jpeg"),
        SimpleUploadedFile("notes.txt", b"not a photo", content_type="text/plain")]}, format="multipart")
    assert_matches(schema, "/api/v1/events/{event_id}/photos/", "post", upload)
    share_link_create(event=event, user=alice, base_url="http://testserver")

    for path, url in [("/api/v1/events/", "/api/v1/events/"),
                      ("/api/v1/events/{event_id}/photos/", f"/api/v1/events/{event.id}/photos/"),
                      ("/api/v1/events/{event_id}/share-links/", f"/api/v1/events/{event.id}/share-links/"),
                      ("/api/v1/events/{event_id}/people/", f"/api/v1/events/{event.id}/people/"),
                      ("/api/v1/events/{event_id}/", f"/api/v1/events/{event.id}/")]:
        response = client.get(url)
        assert response.status_code == 200
        assert_matches(schema, path, "get", response)
    assert client.get("/api/v1/events/").json()["count"] == 1

    photo_id = upload.json()["results"][0]["photo"]["id"]
    original = client.get(f"/api/v1/photos/{photo_id}/original")
    documented = schema["paths"]["/api/v1/photos/{photo_id}/original"]["get"]["responses"]["200"]["content"]
    assert any(re.fullmatch(media.replace("*", ".+"), original["Content-Type"]) for media in documented)

    # The errors answer in the documented shape too: another studio's event, a page past the end, no token.
    assert_matches(schema, "/api/v1/events/{event_id}/photos/", "get",
                   client_for(charlie).get(f"/api/v1/events/{event.id}/photos/"))
    assert_matches(schema, "/api/v1/events/", "get", client.get("/api/v1/events/?page=9"))
    assert_matches(schema, "/api/v1/events/", "get", APIClient().get("/api/v1/events/"))
