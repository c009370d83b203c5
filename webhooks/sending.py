"""One attempt at one delivery, and what follows from it (the failure policy in one place):
a 2xx answer is success; anything else (another status, a redirect, a timeout, a refused
connection, a URL that now resolves somewhere private) is retried after the next backoff
delay, and after the last attempt the delivery ends ``failed`` with the reason.

The name is resolved once, by url_check, and the connection goes to the address it approved
(PinnedAdapter): a DNS answer that changes between the check and the connection (rebinding to
127.0.0.1) cannot redirect it. Host header, TLS SNI and certificate check still use the name."""
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError
from django.db.models import F, Q
from django.utils import timezone

from webhooks.conf import webhooks as webhooks_config
from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus
from webhooks.signing import body_bytes, headers
from webhooks.urlsafety import CheckedUrl, WebhookUrlRefused, url_check

ERROR_MAX = 500


@dataclass(frozen=True)
class Outcome:
    status: int | None
    ms: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def backoff() -> list[float]:
    """Seconds to wait after attempt 1, 2, …; one more attempt than there are delays."""
    return [float(s) for s in webhooks_config().webhook_backoff_seconds]


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Send a pending, due delivery once and record it; None if it is not ours to send now
    (done, not due, or being sent by another worker: the claim below holds it meanwhile)."""
    now = timezone.now()
    lease = now + timedelta(seconds=webhooks_config().webhook_timeout_seconds * 2 + 30)
    claimed = Delivery.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                                      id=delivery_id, status=DeliveryStatus.PENDING
                                      ).update(next_attempt_at=lease, attempts=F("attempts") + 1)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("webhook").get(id=delivery_id)
    outcome = _send(delivery)
    _record(delivery, outcome, started_at=now)
    return delivery


class PinnedAdapter(HTTPAdapter):
    """Speaks to `hostname` (TLS SNI and certificate) over a connection to the URL's IP literal."""

    def __init__(self, *, hostname: str):
        self.hostname = hostname
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        if host_params["scheme"] == "https":
            pool_kwargs.update(server_hostname=self.hostname, assert_hostname=self.hostname)
        return host_params, pool_kwargs


def pinned_post(checked: CheckedUrl, *, data: bytes, headers: dict, timeout: float) -> requests.Response:
    """POST to an address url_check approved, as if to the URL's name; the caller closes it. Like a
    plain connect, the next address is tried when one cannot be connected to (nothing was sent)."""
    for address in checked.addresses[:-1]:
        try:
            return _post_to(checked, address, data=data, headers=headers, timeout=timeout)
        except requests.ConnectionError as exc:
            if not _not_connected(exc):
                raise
    return _post_to(checked, checked.addresses[-1], data=data, headers=headers, timeout=timeout)


def _not_connected(exc: requests.ConnectionError) -> bool:
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectTimeout) or isinstance(reason, NewConnectionError)


def _post_to(checked: CheckedUrl, address, *, data: bytes, headers: dict, timeout: float) -> requests.Response:
    literal = f"[{address}]" if address.version == 6 else str(address)
    parts = urlsplit(checked.url)
    default_port = 443 if checked.scheme == "https" else 80
    host_header = checked.hostname if checked.port == default_port else f"{checked.hostname}:{checked.port}"
    if ":" in checked.hostname:  # an IPv6 literal in the URL keeps its brackets in Host
        host_header = parts.netloc.rsplit("@", 1)[-1]
    session = requests.Session()
    session.trust_env = False  # an environment proxy would resolve the name again itself
    session.mount(f"{checked.scheme}://", PinnedAdapter(hostname=checked.hostname))
    url = urlunsplit((checked.scheme, f"{literal}:{checked.port}", parts.path or "/", parts.query, ""))
    # stream=True: the answer's body is never read, so a slow or huge one cannot hold the worker.
    return session.post(url, data=data, headers={**headers, "Host": host_header}, timeout=(timeout, timeout),
                        allow_redirects=False, stream=True)


def _send(delivery: Delivery) -> Outcome:
    webhook = delivery.webhook
    try:
        checked = url_check(webhook.url)
    except WebhookUrlRefused as exc:
        return Outcome(None, None, f"not sent: {exc.message}")
    body = body_bytes(delivery.payload)
    sent_headers = headers(secret=webhook.secret, event_type=delivery.event_type, delivery_uid=str(delivery.uid),
                           timestamp=int(time.time()), body=body)
    timeout = webhooks_config().webhook_timeout_seconds
    started = time.monotonic()
    try:
        with pinned_post(checked, data=body, headers=sent_headers, timeout=timeout) as response:
            status = response.status_code
            location = response.headers.get("Location", "")
    except requests.RequestException as exc:
        return Outcome(None, _ms(started), f"{exc.__class__.__name__}: {exc}"[:ERROR_MAX])
    ms = _ms(started)
    if 200 <= status < 300:
        return Outcome(status, ms, "")
    if 300 <= status < 400:
        return Outcome(status, ms, f"answered {status}; redirects are not followed ({location[:200]})")
    return Outcome(status, ms, f"answered HTTP {status}")


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _record(delivery: Delivery, outcome: Outcome, *, started_at) -> None:
    DeliveryAttempt.objects.create(delivery=delivery, number=delivery.attempts, started_at=started_at,
                                   response_status=outcome.status, response_ms=outcome.ms, error=outcome.error)
    delivery.last_response_status, delivery.response_ms = outcome.status, outcome.ms
    now = timezone.now()
    delays = backoff()
    if outcome.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = (
            DeliveryStatus.SUCCEEDED, now, None, "")
    elif delivery.attempts > len(delays):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delivery.last_error = f"gave up after {delivery.attempts} attempts; last: {outcome.error}"[:ERROR_MAX]
    else:
        delivery.next_attempt_at = now + timedelta(seconds=delays[delivery.attempts - 1])
        delivery.last_error = outcome.error
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_error",
                                 "last_response_status", "response_ms"])
