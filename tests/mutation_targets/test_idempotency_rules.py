"""core/idempotency.py: what makes two requests "the same" for an Idempotency-Key (mutation
survivors of scripts/mutation.py turned into tests; the principal × studio × key table is in
tests/api/test_idempotency_secrets.py)."""
import json

from events.models import Event

EVENTS = "/api/v1/events/"


def _post(client, body: str, key: str):
    return client.post(EVENTS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_json_body_in_another_key_order_is_the_same_request(as_alice):
    """A client that rebuilds its JSON on retry (another key order) gets the first answer replayed."""
    first = _post(as_alice, json.dumps({"name": "Wedding", "starts_on": "2026-12-24"}), "order-1")
    retry = _post(as_alice, json.dumps({"starts_on": "2026-12-24", "name": "Wedding"}), "order-1")
    assert first.status_code == retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true" and retry.json() == first.json()
    assert Event.objects.count() == 1


def test_another_value_under_the_same_key_is_another_request(as_alice):
    _post(as_alice, json.dumps({"name": "Wedding", "starts_on": "2026-12-24"}), "order-2")
    other = _post(as_alice, json.dumps({"starts_on": "2026-12-25", "name": "Wedding"}), "order-2")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert Event.objects.count() == 1


def test_a_form_body_counts_every_field_and_value(as_alice):
    first = as_alice.post(EVENTS, {"name": "Gala", "starts_on": "2026-12-24"}, HTTP_IDEMPOTENCY_KEY="form-1")
    retry = as_alice.post(EVENTS, {"starts_on": "2026-12-24", "name": "Gala"}, HTTP_IDEMPOTENCY_KEY="form-1")
    other = as_alice.post(EVENTS, {"name": "Gala", "starts_on": "2026-12-31"}, HTTP_IDEMPOTENCY_KEY="form-1")
    assert first.status_code == retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert Event.objects.count() == 1


def test_a_read_with_a_key_is_never_recorded_nor_replayed(as_alice):
    """Only POSTs are covered: a GET sent with an Idempotency-Key always reads the present."""
    from core.tenancy.models import IdempotencyRecord

    before = as_alice.get(EVENTS, HTTP_IDEMPOTENCY_KEY="read-1")
    _post(as_alice, json.dumps({"name": "Wedding"}), "write-1")
    after = as_alice.get(EVENTS, HTTP_IDEMPOTENCY_KEY="read-1")
    assert before.json()["count"] == 0 and after.json()["count"] == 1 and "Idempotent-Replayed" not in after
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["write-1"]


def test_an_unexpected_500_frees_the_key_so_the_retry_runs(as_alice, monkeypatch):
    from events import services

    real_create = services.event_create

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "event_create", broken)
    failed = _post(as_alice, json.dumps({"name": "Wedding"}), "crash-1")
    assert failed.status_code == 500
    monkeypatch.setattr(services, "event_create", real_create)
    retry = _post(as_alice, json.dumps({"name": "Wedding"}), "crash-1")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry and Event.objects.count() == 1


def test_a_finished_answer_replays_for_the_whole_day_not_only_ten_minutes(as_alice):
    """Only a request still running after 10 minutes is taken for dead; a finished one stays 24 h."""
    from datetime import timedelta

    from django.utils import timezone

    from core.tenancy.models import IdempotencyRecord

    first = _post(as_alice, json.dumps({"name": "Wedding"}), "late-1")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=2))
    retry = _post(as_alice, json.dumps({"name": "Wedding"}), "late-1")
    assert retry["Idempotent-Replayed"] == "true" and retry.json() == first.json() and Event.objects.count() == 1


def test_files_count_by_size_too(as_alice, studio_a, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events.services import event_create
    from tests.factories import jpeg_bytes

    event = event_create(studio=studio_a, user=alice, name="Gala")
    url = f"{EVENTS}{event.id}/photos/"
    small, large = jpeg_bytes(32, 24), jpeg_bytes(64, 48)
    assert len(small) != len(large)
    as_alice.post(url, {"files": [SimpleUploadedFile("a.jpg", small)]}, format="multipart", HTTP_IDEMPOTENCY_KEY="f1")
    other = as_alice.post(url, {"files": [SimpleUploadedFile("a.jpg", large)]}, format="multipart",
                          HTTP_IDEMPOTENCY_KEY="f1")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"


def test_a_retried_secret_names_the_fields_not_replayed(as_alice):
    body = {"name": "CI", "scope": "read"}
    first = as_alice.post("/api/v1/studio/api-keys/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = as_alice.post("/api/v1/studio/api-keys/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and retry.status_code == 409
    assert retry.json()["error"]["details"] == {"id": first.json()["id"], "status": 201, "not_replayed": ["key"]}


def test_a_key_is_one_to_255_characters(as_alice):
    empty = _post(as_alice, json.dumps({"name": "Wedding"}), "")
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "invalid_idempotency_key"
    longest = "k" * 255
    first = _post(as_alice, json.dumps({"name": "Wedding"}), longest)
    retry = _post(as_alice, json.dumps({"name": "Wedding"}), longest)
    assert first.status_code == retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert Event.objects.count() == 1


def test_after_its_day_a_finished_key_runs_anew(as_alice):
    """An expired record is dropped on the next use of its key, finished or not."""
    from datetime import timedelta

    from django.utils import timezone

    from core.tenancy.models import IdempotencyRecord

    _post(as_alice, json.dumps({"name": "Wedding"}), "day-1")
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    again = _post(as_alice, json.dumps({"name": "Wedding"}), "day-1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again and Event.objects.count() == 2


def test_what_idempotency_finish_keeps_of_each_answer(studio_a):
    """A bodiless answer is kept as such; of the headers only Location and Retry-After; an answer that
    minted a secret is redacted only when it succeeded (2xx), whatever shape its body has."""
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.response import Response

    from core.idempotency import idempotency_finish
    from core.tenancy.models import IdempotencyRecord

    def finish(key: str, response, secrets=()):
        record = IdempotencyRecord.objects.create(principal="user:1", studio_id=studio_a.id, key=key,
                                                  fingerprint="f", expires_at=timezone.now() + timedelta(hours=1))
        idempotency_finish(record, response, secrets=secrets)
        record.refresh_from_db()
        return record

    bodiless = finish("none", Response(status=204))
    assert (bodiless.status, bodiless.body) == (204, None)
    located = finish("where", Response({"id": 7}, status=201, headers={"Location": "/x/7/", "X-Other": "no"}))
    assert located.headers == {"Location": "/x/7/"} and located.body == {"id": 7}
    listed = finish("list", Response([{"id": 8}], status=201), secrets=("key",))
    assert listed.secret_redacted and listed.body == {"id": None, "status": 201, "not_replayed": ["key"]}
    moved = finish("moved", Response({"detail": "elsewhere"}, status=300), secrets=("key",))
    assert not moved.secret_redacted and moved.body == {"detail": "elsewhere"}
