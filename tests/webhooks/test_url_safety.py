"""Where webhooks may point, with the production switches on (tests otherwise allow loopback).

Before: IPv4-compatible (`[::127.0.0.1]`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) forms of
private addresses were accepted; port 99999 was a 500; 21 webhooks could be created under a limit
of 20 by parallel requests; and a name that resolved to a public address at the check and to
127.0.0.1 a moment later delivered to loopback (the sender resolved the name again to connect).
"""
import socket

import pytest
from django.db import connection

from core.tenancy.models import Studio
from webhooks import services
from webhooks.models import Delivery, Webhook
from webhooks.sending import delivery_attempt
from webhooks.urlsafety import url_check
from tests.concurrency import at_once

HOOKS = "/api/v1/studio/webhooks/"
PUBLIC_V4 = "93.184.216.34"


@pytest.fixture
def production_checks(settings):
    settings.VISAGE_WEBHOOKS_ALLOW_PRIVATE = False
    settings.VISAGE_WEBHOOKS_REQUIRE_HTTPS = False


REFUSED = {
    "[::127.0.0.1]": "IPv4-compatible loopback",
    "[::10.0.0.1]": "IPv4-compatible private",
    "[::93.184.216.34]": "IPv4-compatible (deprecated) even of a public address",
    "[::ffff:127.0.0.1]": "IPv4-mapped loopback",
    "[::ffff:169.254.169.254]": "IPv4-mapped cloud metadata",
    "[::ffff:0:7f00:1]": "IPv4-translated loopback",
    "[64:ff9b::7f00:1]": "NAT64 well-known prefix, loopback",
    "[64:ff9b::a00:1]": "NAT64 well-known prefix, 10.0.0.1",
    "[64:ff9b:1::7f00:1]": "NAT64 local-use prefix",
    "[2002:7f00:1::1]": "6to4 of 127.0.0.1",
    "[2002:a9fe:a9fe::1]": "6to4 of 169.254.169.254",
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]": "Teredo, client 127.0.0.1",
    "[2001:0:5db8:d822:0:0:a247:2edb]": "Teredo with public server and client",
    "[::]": "unspecified", "[::1]": "loopback", "[fe80::1]": "link-local", "[ff02::1]": "multicast",
    "[ff0e::1]": "global-scope multicast", "[fc00::1]": "unique local", "[100::1]": "discard",
    "[2001:db8::1]": "documentation",
    "0.0.0.0": "unspecified", "127.1.2.3": "loopback", "10.1.2.3": "private", "100.64.0.1": "carrier-grade NAT",
    "169.254.169.254": "link-local metadata", "224.0.0.1": "multicast", "239.1.1.1": "multicast",
    "240.0.0.1": "reserved", "255.255.255.255": "broadcast", "198.18.0.1": "benchmarking",
}
ALLOWED = {
    PUBLIC_V4: "public IPv4",
    "[2606:2800:220:1:248:1893:25c8:1946]": "public IPv6",
    "[::ffff:93.184.216.34]": "IPv4-mapped public",
    "[64:ff9b::5db8:d822]": "NAT64 of a public address (DNS64 networks)",
    "[2002:5db8:d822::1]": "6to4 of a public address",
}


@pytest.mark.parametrize("host", REFUSED, ids=list(REFUSED.values()))
def test_every_form_of_a_non_public_address_is_refused(as_alice, production_checks, host):
    response = as_alice.post(HOOKS, {"url": f"https://{host}/hook", "events": ["photo.processed"]}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "webhook_url_refused"
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("host", ALLOWED, ids=list(ALLOWED.values()))
def test_public_addresses_are_accepted(as_alice, production_checks, host):
    response = as_alice.post(HOOKS, {"url": f"https://{host}/hook", "events": ["photo.processed"]}, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("url", ["https://93.184.216.34:99999/hook", "https://93.184.216.34:0/hook",
                                 "https://93.184.216.34:65536/hook"])
def test_an_impossible_port_is_a_400(as_alice, url):
    response = as_alice.post(HOOKS, {"url": url, "events": ["photo.processed"]}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "webhook_url_refused"
    hook = as_alice.post(HOOKS, {"url": "https://93.184.216.34/hook", "events": ["photo.processed"]}, format="json")
    changed = as_alice.patch(f"{HOOKS}{hook.json()['id']}/", {"url": url}, format="json")
    assert changed.status_code == 400 and changed.json()["error"]["code"] == "webhook_url_refused"


class Rebinder:
    """A resolver for rebind.test whose answers alternate: public, then 127.0.0.1, … (TTL 0)."""

    def __init__(self, real):
        self.real, self.answers = real, 0

    def __call__(self, host, port, *args, **kwargs):
        if host != "rebind.test":
            return self.real(host, port, *args, **kwargs)
        self.answers += 1
        address = PUBLIC_V4 if self.answers % 2 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


def test_a_name_rebound_to_loopback_after_the_check_is_not_reached(studio_a, alice, receiver, production_checks,
                                                                    monkeypatch, django_capture_on_commit_callbacks):
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    monkeypatch.setattr(socket, "getaddrinfo", Rebinder(socket.getaddrinfo))
    connected = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        connected.append(address[0])
        if address[0] != "127.0.0.1":  # no network in tests: the public address is unreachable
            raise OSError(101, "Network is unreachable (test)")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    hook = Webhook.objects.create(studio=studio_a, created_by=alice, url=f"http://rebind.test:{port}/hook",
                                  events=["photo.processed"], secret="whsec_test")
    with django_capture_on_commit_callbacks(execute=False):
        delivery = services.webhook_ping(webhook=hook)
    for _ in range(2):  # two attempts: whichever answer comes first, the other follows the check
        Delivery.objects.filter(id=delivery.id).update(next_attempt_at=None)
        delivery_attempt(delivery_id=delivery.id)
    assert receiver.requests == []  # loopback never reached
    assert connected and set(connected) == {PUBLIC_V4}  # every connection went to the checked address


def test_https_keeps_the_name_for_sni_and_the_certificate():
    """Connecting to the IP must not weaken TLS: the pool verifies the certificate against the name."""
    import requests

    from webhooks.sending import PinnedAdapter

    request = requests.Request("POST", f"https://{PUBLIC_V4}:443/hook").prepare()
    host, pool = PinnedAdapter(hostname="hooks.example.com").build_connection_pool_key_attributes(request, True)
    assert host["host"] == PUBLIC_V4
    assert pool["server_hostname"] == pool["assert_hostname"] == "hooks.example.com"
    assert url_check("https://93.184.216.34/x").addresses[0].exploded == PUBLIC_V4


@pytest.mark.django_db(transaction=True)
def test_parallel_creations_never_pass_the_limit(studio_a, alice, settings, monkeypatch):
    """12 creations at once with 15 of 20 taken: exactly 5 succeed (before: all 12, 27 of 20)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs it); SQLite serialises writers anyway")
    settings.VISAGE_WEBHOOKS_PER_STUDIO = 20
    for n in range(15):
        Webhook.objects.create(studio=studio_a, url=f"http://127.0.0.1:9/{n}", events=["ping"], secret="whsec_x")
    real_secret = services.secret_generate

    def slow_secret():  # widens the gap between counting and inserting, as a slow database would
        import time

        time.sleep(0.2)
        return real_secret()

    monkeypatch.setattr(services, "secret_generate", slow_secret)
    outcomes = at_once(lambda: services.webhook_create(studio=Studio.objects.get(id=studio_a.id), user=alice,
                                                       url="http://127.0.0.1:9/hook", events=["photo.processed"]),
                       times=12, refused=services.TooManyWebhooks)
    assert sum(isinstance(o, Webhook) for o in outcomes) == 5
    assert sum(isinstance(o, services.TooManyWebhooks) for o in outcomes) == 7
    assert Webhook.objects.filter(studio=studio_a).count() == 20


def test_an_address_that_cannot_be_reached_falls_back_to_the_next_checked_one(studio_a, alice, receiver, monkeypatch,
                                                                            django_capture_on_commit_callbacks):
    """A name with an unreachable address first (an IPv6 the worker cannot route) still gets its delivery."""
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    real = socket.getaddrinfo

    def two_addresses(host, *args, **kwargs):
        if host != "twice.test":
            return real(host, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    hook = Webhook.objects.create(studio=studio_a, created_by=alice, url=f"http://twice.test:{port}/hook",
                                  events=["photo.processed"], secret="whsec_test")
    with django_capture_on_commit_callbacks(execute=False):
        delivery = services.webhook_ping(webhook=hook)
    delivery_attempt(delivery_id=delivery.id)
    assert len(receiver.requests) == 1 and receiver.requests[0].headers["host"] == f"twice.test:{port}"
    assert Delivery.objects.get(id=delivery.id).status == "succeeded"
