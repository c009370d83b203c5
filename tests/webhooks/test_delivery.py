"""Deliveries to a real HTTP server on loopback: signed as documented, retried with backoff,
failed with a reason after the last attempt, redeliverable, and never followed through a redirect."""
import hashlib
import hmac
import json
import time

import pytest

from core.tenancy.models import Studio
from tests.webhooks.conftest import closed_port_url
from webhooks.models import Delivery, DeliveryStatus, Webhook
from webhooks.tasks import dispatch_due

HOOKS = "/api/v1/studio/webhooks/"


def _create(client, url, events=("photo.processed",)) -> dict:
    response = client.post(HOOKS, {"url": url, "events": list(events)}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _until(predicate, seconds: float = 15.0):
    """Run the beat sweep (what celery beat does every 30 s) until `predicate()` holds."""
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
        dispatch_due.apply()


def test_a_ping_is_signed_with_the_secret_the_api_gave(as_alice, studio_a, receiver, django_capture_on_commit_callbacks):
    hook = _create(as_alice, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        queued = as_alice.post(f"{HOOKS}{hook['id']}/ping/")
    assert queued.status_code == 202, queued.content
    (received,) = receiver.requests
    headers, body = received.headers, received.body
    # Verified as docs/webhooks.md tells a receiver to: HMAC-SHA256 over "<timestamp>.<raw body>".
    expected = hmac.new(hook["secret"].encode(), headers["x-visage-timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-visage-signature"], f"sha256={expected}")
    assert abs(int(headers["x-visage-timestamp"]) - time.time()) < 60
    payload = json.loads(body)
    assert headers["x-visage-event"] == payload["type"] == "ping"
    assert headers["x-visage-delivery"] == payload["id"] == queued.json()["id"]
    assert payload["studio"] == studio_a.slug and payload["data"]["webhook_id"] == hook["id"]
    assert received.path == "/hooks/visage" and headers["content-type"] == "application/json"
    # Another secret does not verify: the signature depends on the secret.
    forged = hmac.new(b"whsec_other", headers["x-visage-timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["x-visage-signature"] != f"sha256={forged}"

    (logged,) = as_alice.get(f"{HOOKS}{hook['id']}/deliveries/").json()["results"]
    assert (logged["status"], logged["attempts"], logged["response_status"]) == ("succeeded", 1, 200)
    assert logged["response_ms"] is not None and logged["delivered_at"]


def test_the_secret_is_shown_only_when_created(as_alice, receiver):
    hook = _create(as_alice, receiver.url)
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    listed = as_alice.get(HOOKS).json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]
    detail = as_alice.get(f"{HOOKS}{hook['id']}/").json()
    assert "secret" not in detail and detail["secret_hint"].endswith(hook["secret"][-4:])
    assert hook["secret"] not in json.dumps(listed) + json.dumps(detail)


def test_a_500_is_retried_with_backoff_until_it_succeeds(as_alice, receiver, fast_retries,
                                                        django_capture_on_commit_callbacks):
    receiver.statuses = [500, 503]
    hook = _create(as_alice, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(f"{HOOKS}{hook['id']}/ping/")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_status) == ("pending", 1, 500)
    _until(lambda: Delivery.objects.get().status == DeliveryStatus.SUCCEEDED)
    delivery = Delivery.objects.get()
    log = list(delivery.attempt_log.all())
    assert [a.response_status for a in log] == [500, 503, 200] and delivery.attempts == 3
    gaps = [(b.started_at - a.started_at).total_seconds() for a, b in zip(log, log[1:])]
    assert gaps[0] >= fast_retries[0] and gaps[1] >= fast_retries[1]
    # One delivery id for every attempt: receivers can drop duplicates by it.
    assert len({r.headers["x-visage-delivery"] for r in receiver.requests}) == 1 and len(receiver.requests) == 3


def test_a_closed_port_ends_failed_with_the_reason_after_the_last_attempt(as_alice, fast_retries,
                                                                           django_capture_on_commit_callbacks):
    hook = _create(as_alice, closed_port_url())
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(f"{HOOKS}{hook['id']}/ping/")
    _until(lambda: Delivery.objects.get().status != DeliveryStatus.PENDING)
    (logged,) = as_alice.get(f"{HOOKS}{hook['id']}/deliveries/").json()["results"]
    assert logged["status"] == "failed" and logged["attempts"] == len(fast_retries) + 1 == 6
    assert logged["error"].startswith("gave up after 6 attempts") and "ConnectionError" in logged["error"]
    assert logged["response_status"] is None and logged["next_attempt_at"] is None
    dispatch_due.apply()  # nothing more is sent
    assert Delivery.objects.get().attempts == 6


def test_a_redirect_is_not_followed(as_alice, receiver, fast_retries, django_capture_on_commit_callbacks):
    receiver.statuses = [302]
    hook = _create(as_alice, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(f"{HOOKS}{hook['id']}/ping/")
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and "redirects are not followed" in delivery.last_error
    assert len(receiver.requests) == 1


def test_a_failed_delivery_can_be_sent_again(as_alice, receiver, fast_retries, django_capture_on_commit_callbacks):
    receiver.statuses = [500] * 6
    hook = _create(as_alice, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        first = as_alice.post(f"{HOOKS}{hook['id']}/ping/").json()
    _until(lambda: Delivery.objects.get().status == DeliveryStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        again = as_alice.post(f"{HOOKS}{hook['id']}/deliveries/{first['id']}/redeliver/")
    assert again.status_code == 202, again.content
    body = again.json()
    assert body["redelivery_of"] == first["id"] and body["id"] != first["id"]
    assert Delivery.objects.get(uid=body["id"]).status == DeliveryStatus.SUCCEEDED
    last = json.loads(receiver.requests[-1].body)
    assert last["id"] == body["id"] and last["data"] == first["payload"]["data"]
    assert len(receiver.requests) == 7


def test_another_studio_cannot_see_change_or_redeliver(as_alice, as_charlie, as_bob, receiver,
                                                       django_capture_on_commit_callbacks):
    hook = _create(as_alice, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        ping = as_alice.post(f"{HOOKS}{hook['id']}/ping/").json()
    base = f"{HOOKS}{hook['id']}/"
    assert as_charlie.get(HOOKS).json()["count"] == 0
    for method, path in [("get", base), ("patch", base), ("delete", base), ("get", f"{base}deliveries/"),
                         ("post", f"{base}ping/"), ("post", f"{base}deliveries/{ping['id']}/redeliver/")]:
        response = getattr(as_charlie, method)(path, {"active": False}, format="json")
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["error"]["code"] == "not_found"
    # B's own webhook cannot reach A's delivery by its id either.
    own = _create(as_charlie, receiver.url)
    assert as_charlie.post(f"{HOOKS}{own['id']}/deliveries/{ping['id']}/redeliver/").status_code == 404
    # A photographer of A's studio may not manage webhooks.
    assert as_bob.get(HOOKS).status_code == 403
    assert as_bob.post(HOOKS, {"url": receiver.url, "events": ["photo.processed"]}, format="json").status_code == 403
    assert Webhook.objects.get(id=hook["id"]).active and Delivery.objects.filter(webhook_id=hook["id"]).count() == 1
    assert len(receiver.requests) == 1


def test_owners_change_and_remove_a_webhook(as_alice, receiver):
    hook = _create(as_alice, receiver.url)
    changed = as_alice.patch(f"{HOOKS}{hook['id']}/", {"active": False, "events": ["guest.searched"]}, format="json")
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert changed.json()["events"] == ["guest.searched"]
    bad = as_alice.patch(f"{HOOKS}{hook['id']}/", {"events": ["photo.deleted"]}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    assert as_alice.delete(f"{HOOKS}{hook['id']}/").status_code == 204
    assert as_alice.get(f"{HOOKS}{hook['id']}/").status_code == 404


@pytest.mark.parametrize("url", [
    "http://93.184.216.34/hook",            # plain http where https is required
    "https://127.0.0.1/hook", "https://[::1]/hook", "https://10.1.2.3/hook", "https://192.168.0.10/hook",
    "https://169.254.169.254/latest/meta-data/", "https://[::ffff:10.0.0.1]/hook", "https://0.0.0.0/hook",
    "https://user:pw@93.184.216.34/hook", "ftp://93.184.216.34/hook",
])
def test_production_settings_refuse_private_and_plain_urls(as_alice, settings, url):
    settings.VISAGE_WEBHOOKS_ALLOW_PRIVATE, settings.VISAGE_WEBHOOKS_REQUIRE_HTTPS = False, True
    response = as_alice.post(HOOKS, {"url": url, "events": ["photo.processed"]}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in ("webhook_url_refused", "invalid")
    assert not Webhook.objects.exists()


def test_production_settings_accept_a_public_https_url(as_alice, settings):
    settings.VISAGE_WEBHOOKS_ALLOW_PRIVATE, settings.VISAGE_WEBHOOKS_REQUIRE_HTTPS = False, True
    assert _create(as_alice, "https://93.184.216.34/hook")["url"] == "https://93.184.216.34/hook"


def test_the_url_is_checked_again_when_sending(as_alice, receiver, settings, fast_retries,
                                               django_capture_on_commit_callbacks):
    """Registered while allowed, refused at send time once private targets are not: nothing reaches it."""
    hook = _create(as_alice, receiver.url)
    settings.VISAGE_WEBHOOKS_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(f"{HOOKS}{hook['id']}/ping/")
    delivery = Delivery.objects.get()
    assert receiver.requests == [] and delivery.last_error.startswith("not sent: 127.0.0.1 resolves to 127.0.0.1")


def test_a_paused_webhook_and_other_subscriptions_get_nothing(studio_a, alice, receiver,
                                                              django_capture_on_commit_callbacks):
    from webhooks.services import deliveries_create, webhook_create

    paused = webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["photo.processed"])
    paused.active = False
    paused.save()
    webhook_create(studio=studio_a, user=alice, url=receiver.url, events=["guest.searched"])
    other = Studio.objects.exclude(id=studio_a.id).first()
    assert other is None
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_create(studio_id=studio_a.id, event_type="photo.processed", data={}) == []
    assert receiver.requests == []


def test_production_settings_default_to_refusing_private_and_plain_http():
    """The two switches the refusals above depend on, as production really loads them."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("VISAGE_WEBHOOK")}
    env.update(DJANGO_SETTINGS_MODULE="visage.settings.production", DJANGO_SECRET_KEY="x" * 50)
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; "
                          "print(settings.VISAGE_WEBHOOKS_ALLOW_PRIVATE, settings.VISAGE_WEBHOOKS_REQUIRE_HTTPS)"],
                         env=env, capture_output=True, text=True, timeout=60, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    assert out.stdout.split() == ["False", "True"], out.stderr


def test_the_log_forgets_finished_deliveries_after_its_days(as_alice, receiver, settings,
                                                            django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    hook = _create(as_alice, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(f"{HOOKS}{hook['id']}/ping/")
        as_alice.post(f"{HOOKS}{hook['id']}/ping/")
    old, recent = Delivery.objects.order_by("id")
    Delivery.objects.filter(id=old.id).update(created_at=timezone.now() - timedelta(days=settings.VISAGE_WEBHOOK_LOG_DAYS + 1))
    pending = Delivery.objects.create(studio=old.studio, webhook=old.webhook, event_type="ping", payload={},
                                      next_attempt_at=timezone.now() + timedelta(hours=1))
    Delivery.objects.filter(id=pending.id).update(created_at=timezone.now() - timedelta(days=99))
    dispatch_due.apply()
    assert set(Delivery.objects.values_list("id", flat=True)) == {recent.id, pending.id}
