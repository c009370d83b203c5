"""The two calls the uploader makes to Visage's public REST API (docs/api.md), and what each answer means.

An answer becomes one of: an `UploadResult` (created, duplicate or rejected: final for that file),
`TryAgain` (the network, a 5xx, a 429 or a request still running on the server: retry later, the
file is fine), or `Fatal` (a wrong key, a key that may not upload, an unknown event: retrying
cannot help, so the run stops).
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from visage_upload import __version__

SOURCE_HEADER = {"X-Upload-Source": "hot-folder"}  # the server records the photo's source as hot_folder
CHUNK = 256 * 1024
CONNECT_TIMEOUT_S, READ_TIMEOUT_S = 10, 300  # a 300 MB upload is inspected and stored before the answer


@dataclass(frozen=True)
class UploadResult:
    status: str  # "created", "duplicate" or "rejected"
    reason: str | None = None
    photo_id: int | None = None
    sha256: str | None = None


class TryAgain(Exception):
    """Nothing final happened; send the same request again after `retry_after` seconds (or a backoff)."""

    def __init__(self, message: str, *, retry_after: float | None = None, key_problem: str | None = None,
                 answered: bool = True):
        super().__init__(message)
        self.answered = answered  # False: no answer came back (network), the server may have done it or not
        # key_problem: "busy" (the server still holds this Idempotency-Key's first request) or "reused"
        # (the key was used for another body, e.g. the file changed): the uploader may take a new key.
        self.retry_after, self.key_problem = retry_after, key_problem


class Fatal(Exception):
    """The server refuses the key, its scope or the event: no file can be sent until the user fixes it."""


class VisageApi:
    def __init__(self, base_url: str, api_key: str, *, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Api-Key {api_key}",
                                     "User-Agent": f"visage-upload/{__version__}", **SOURCE_HEADER})

    def event_name(self, event_id: int) -> str:
        """The event's name; raises Fatal for a wrong key or an unknown event, TryAgain if unreachable."""
        response = self._send("GET", f"/api/v1/events/{event_id}/")
        if response.status_code == 200:
            return response.json().get("name", "")
        raise self._failure(response, event_id)

    def upload(self, event_id: int, path: Path, *, filename: str, idempotency_key: str,
               progress: Callable[[int], None] = lambda sent: None) -> UploadResult:
        """POST one file to the event (multipart `files`), streamed from disk with its length known."""
        body = MultipartFile(path, filename=filename, progress=progress)
        response = self._send("POST", f"/api/v1/events/{event_id}/photos/", data=body, headers={
            "Content-Type": body.content_type, "Content-Length": str(len(body)), "Idempotency-Key": idempotency_key})
        payload = _json(response)
        results = payload.get("results") if isinstance(payload, dict) else None
        if response.status_code in (200, 201, 400) and results:
            first = results[0]
            photo = first.get("photo") or {}
            return UploadResult(status=first["status"], reason=first.get("reason"), photo_id=photo.get("id"),
                                sha256=photo.get("sha256"))
        if response.status_code in (400, 413, 415):  # the request as a whole was refused (too large…)
            return UploadResult(status="rejected", reason=f"{filename}: {_message(response)}")
        raise self._failure(response, event_id)

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, self.base_url + path, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
                                        allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            raise TryAgain(f"cannot reach {self.base_url}: {_why(exc)}", answered=False) from exc

    def _failure(self, response: requests.Response, event_id: int) -> Exception:
        status, message = response.status_code, _message(response)
        if status == 401:
            return Fatal(f"the server refused the API key (401): {message} Check --api-key / VISAGE_API_KEY.")
        if status == 403:
            return Fatal(f"the API key may not do this (403): {message} Upload needs a key of scope 'upload' or 'full'.")
        if status == 404:
            return Fatal(f"event {event_id} was not found on {self.base_url} (404): check --event, and that the key "
                         "belongs to the event's studio.")
        if 300 <= status < 400:
            return Fatal(f"{self.base_url} redirects to {response.headers.get('Location')}: use that address as --url.")
        if status == 409 and _code(response) == "request_in_progress":
            return TryAgain(f"the server is still working on this file's first request: {message}", key_problem="busy")
        if status == 429 or status >= 500:
            return TryAgain(f"the server answered {status}: {message}", retry_after=_retry_after(response))
        if status == 422 and _code(response) == "idempotency_key_reused":
            return TryAgain(f"the file changed since it was first sent: {message}", key_problem="reused")
        return Fatal(f"unexpected answer {status} from {self.base_url}: {message}")


class MultipartFile:
    """A multipart/form-data body with one file, read from disk in chunks as it is sent.

    requests would read the whole file into memory to build the body; this streams it, sends a
    Content-Length (Django's development server does not take chunked bodies), and reports each
    chunk sent for the progress bar.
    """

    def __init__(self, path: Path, *, filename: str, progress: Callable[[int], None]):
        boundary = uuid.uuid4().hex
        self.content_type = f"multipart/form-data; boundary={boundary}"
        quoted = filename.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")
        self._head = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{quoted}"\r\n'
                      "Content-Type: application/octet-stream\r\n\r\n").encode()
        self._tail = f"\r\n--{boundary}--\r\n".encode()
        self._file = path.open("rb")
        self._size = os.fstat(self._file.fileno()).st_size
        self._parts = [self._head, None, self._tail]  # None: the file's bytes
        self._progress = progress

    def __len__(self) -> int:
        return len(self._head) + self._size + len(self._tail)

    def read(self, size: int = -1) -> bytes:
        while self._parts:
            part = self._parts[0]
            if part is None:
                chunk = self._file.read(CHUNK if size is None or size < 0 else min(size, CHUNK))
                if chunk:
                    self._progress(len(chunk))
                    return chunk
                self._file.close()
            elif part:
                self._parts[0] = b""
                return part
            self._parts.pop(0)
        return b""

    def __del__(self):
        self._file.close()


def _json(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        return None


def _code(response: requests.Response) -> str | None:
    payload = _json(response)
    error = payload.get("error") if isinstance(payload, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def _message(response: requests.Response) -> str:
    """The server's own words ({"error": {"message"}}), or the start of a non-JSON body (a proxy's page)."""
    payload = _json(response)
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return f"{error['message']} [{error.get('code')}]"
    text = " ".join(response.text.split())[:200]
    return text or response.reason or ""


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None  # absent, or an HTTP date: the backoff decides


def _why(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.Timeout):
        return "connection failed (server down, wrong --url, or no network)"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    return type(exc).__name__
