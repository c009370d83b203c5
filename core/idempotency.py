"""Idempotency-Key on POSTs: a retried request replays the first answer and creates nothing twice.

core.api.ScopedApi calls idempotency_begin after authentication and scoping, and
idempotency_finish with the answer. The record is inserted, in its own committed transaction,
before the work runs: a concurrent duplicate hits the unique constraint and gets a 409 instead of
running too. Answers below 500 are stored (validation errors replay too); a 5xx frees the key so a
retry runs again. Keys are private to their principal (a user or an API key) *in one studio*
(the same key sent with another X-Studio acts there, anew) and last 24 hours.

An answer that carries a secret (an API key, a webhook secret, a share-link token: the view lists
the fields in `idempotency_secrets`) is never kept: the record holds only the created object's id,
and a retry gets a 409 `secret_not_replayable` naming it (the secret was shown once and exists
nowhere else but as a hash).
"""
import hashlib
import json
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.errors import DomainError
from core.tenancy.models import IdempotencyRecord, StudioApiKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
LIFETIME = timedelta(hours=24)
# A first request still "running" after this long died with its process (gunicorn kills a request
# long before): its key is freed so that the client is not locked out for a day.
ABANDONED_AFTER = timedelta(minutes=10)
REPLAYED_HEADERS = ("Location", "Retry-After")
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False,
    description="Any unique string up to 255 characters (a UUID is good). A retry with the same key within 24 "
                "hours replays the first answer (with `Idempotent-Replayed: true`) and changes nothing again. "
                "The same key on another path or with another body is a 422 `idempotency_key_reused`; while the "
                "first request still runs, a 409 `request_in_progress`. 5xx answers are not kept. An answer that "
                "showed a secret (API key, webhook secret, share token) is not replayed: a retry is a 409 "
                "`secret_not_replayable` with the created object's `id` in `details`.")


class IdempotencyKeyInvalid(DomainError):
    status, code = 400, "invalid_idempotency_key"
    message = f"The {HEADER} header must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."


class IdempotencyKeyReused(DomainError):
    status, code = 422, "idempotency_key_reused"
    message = f"This {HEADER} was already used for a different request (another path or body). Use a new key."


class RequestInProgress(DomainError):
    status, code = 409, "request_in_progress"
    message = f"A request with this {HEADER} is still running. Retry in a moment to get its answer."


class SecretNotReplayable(DomainError):
    status, code = 409, "secret_not_replayable"
    message = (f"The first request with this {HEADER} succeeded and showed a secret, which is not kept and cannot "
               "be shown again. If that answer was lost, revoke or delete the object in `details.id` and create "
               f"a new one with a new {HEADER}.")


class Replay(Exception):
    """Raised from ScopedApi.initial to answer with the stored response instead of running again."""

    def __init__(self, response: Response):
        self.response = response
        super().__init__("replayed idempotent request")  # pragma: no mutate - never shown: handle_exception answers


def principal_of(request) -> str | None:
    if isinstance(request.auth, StudioApiKey):
        return f"key:{request.auth.id}"
    if getattr(request.user, "is_authenticated", False):  # pragma: no mutate - a None default is as falsy
        return f"user:{request.user.id}"
    return None  # guests (share tokens) are not covered


def request_fingerprint(request) -> str:
    """Method, path and body; uploaded files count by field, name and size (they are spooled to
    disk already and may be hundreds of MB: never read here)."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    data = request.data
    if hasattr(data, "lists"):  # form or multipart: a QueryDict, files included
        fields = sorted((name, [_part(value) for value in values]) for name, values in data.lists())
        digest.update(json.dumps(fields).encode())
    else:
        digest.update(json.dumps(data, sort_keys=True,
                                 default=str).encode())  # pragma: no mutate - a guard: the parsers give JSON types
    return digest.hexdigest()


def _part(value):
    return ["file", value.name, value.size] if isinstance(value, UploadedFile) else value


def idempotency_begin(request, *, studio_id: int | None) -> IdempotencyRecord | None:
    """Claim the request's key in the studio it acts in, or raise: Replay (done before),
    SecretNotReplayable, RequestInProgress, IdempotencyKeyReused."""
    key = request.headers.get(HEADER)
    principal = principal_of(request)
    if key is None or request.method != "POST" or principal is None:
        return None
    if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        raise IdempotencyKeyInvalid()
    fingerprint, now = request_fingerprint(request), timezone.now()
    mine = IdempotencyRecord.objects.filter(principal=principal, studio_id=studio_id, key=key)
    mine.filter(Q(expires_at__lte=now) | Q(status__isnull=True, created_at__lt=now - ABANDONED_AFTER)).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(principal=principal, studio_id=studio_id, key=key,
                                                    fingerprint=fingerprint, expires_at=now + LIFETIME)
    except IntegrityError:
        first = mine.first()
    if first is None:  # the first one failed with a 5xx meanwhile and freed the key: a retry runs again
        raise RequestInProgress()
    if first.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    if first.status is None:
        raise RequestInProgress()
    if first.secret_redacted:
        raise SecretNotReplayable(details=first.body)
    raise Replay(Response(first.body, status=first.status, headers={**first.headers, REPLAYED_HEADER: "true"}))


def idempotency_finish(record: IdempotencyRecord, response, *, secrets: tuple[str, ...] = ()) -> None:
    """Keep the answer for replays; a 5xx or a non-JSON answer frees the key instead. A success
    of a view that mints `secrets` keeps only the object's id (never the answer)."""
    if response.status_code >= 500 or not isinstance(response, Response):
        IdempotencyRecord.objects.filter(id=record.id).delete()
        return
    if secrets and response.status_code < 300:
        data = response.data if isinstance(response.data, dict) else {}
        IdempotencyRecord.objects.filter(id=record.id).update(
            status=response.status_code, secret_redacted=True,
            headers={},  # pragma: no mutate - never read for a redacted record (it is refused, not replayed)
            body={"id": data.get("id"), "status": response.status_code, "not_replayed": sorted(secrets)})
        return
    body = None if response.data is None else json.loads(JSONRenderer().render(response.data))
    headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
    IdempotencyRecord.objects.filter(id=record.id).update(status=response.status_code, body=body, headers=headers)


def idempotency_purge(*, now=None) -> int:
    """Delete expired records (beat: core.tasks.idempotency_purge). Returns how many."""
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
