"""A studio's phone channels (Apprise URLs): the API's rights with two studios, the URL kept
secret, and a guest who chose their phone getting the message through a real Apprise `json://`
channel pointed at a loopback HTTP receiver (tests/http_receiver.py)."""
import json
import re
import socket

import pytest

from sharing.models import NotifyChannel, NotifyMessage, NotifyMessageStatus
from tests.http_receiver import receiver  # noqa: F401 - fixture
from tests.sharing.conftest import guest_client, make_link, read_face, search
from tests.sharing.test_notify import arrive, event, photo_messages  # noqa: F401 - fixtures

URL = "/api/v1/studio/notify-channels/"
PHONE = "+447700900123"


def json_channel(receiver) -> str:
    host = receiver.url.split("://", 1)[1].split("/", 1)[0]
    return f"json://{host}/sms/send?:to={{phone}}"


def test_only_owners_and_admins_manage_channels_and_the_url_never_comes_back(
        studio_a, as_alice, as_bob, as_vera, as_charlie):
    secret_url = "json://sms-gateway.example/send?:to={phone}&+Authorization=Bearer%20s3cret-token"
    created = as_alice.post(URL, {"label": "SMS", "url": secret_url}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["scheme"] == "json" and "url" not in body and "s3cret" not in created.content.decode()
    channel = NotifyChannel.objects.get()
    assert b"s3cret" not in bytes(channel.url_ciphertext) and b"sms-gateway" not in bytes(channel.url_ciphertext)
    listed = as_alice.get(URL)
    assert listed.status_code == 200 and [c["id"] for c in listed.json()] == [channel.id]
    assert "s3cret" not in listed.content.decode()
    for member in (as_bob, as_vera):  # photographer, viewer
        assert member.post(URL, {"url": secret_url}, format="json").status_code == 403
        assert member.get(URL).status_code == 403
        assert member.delete(f"{URL}{channel.id}/").status_code == 403
    assert as_charlie.get(URL).json() == []  # another studio sees its own (none)
    assert as_charlie.delete(f"{URL}{channel.id}/").status_code == 404  # and cannot reach A's
    assert NotifyChannel.objects.filter(id=channel.id).exists()
    assert as_alice.delete(f"{URL}{channel.id}/").status_code == 204
    assert not NotifyChannel.objects.exists()


@pytest.mark.parametrize("url, why", [
    ("json://sms-gateway.example/send", "{phone}"),  # nowhere to put the number
    ("dbus://{phone}", "messaging service"),  # a local desktop notifier
    ("twilio://{phone}", "Apprise does not accept"),  # not a valid Twilio URL
])
def test_a_channel_apprise_cannot_use_is_refused(as_alice, url, why):
    answer = as_alice.post(URL, {"url": url}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "channel_invalid"
    assert why in answer.json()["error"]["message"]
    assert not NotifyChannel.objects.exists()


def test_a_guest_who_chose_their_phone_gets_the_message_through_the_channel(
        event, arrive, as_alice, receiver):
    assert as_alice.post(URL, {"label": "Gateway", "url": json_channel(receiver)}, format="json").status_code == 201
    arrive(event, "amy1", "sheldon1")
    link = make_link(event, scope="selfie")
    client = guest_client("203.0.113.10")
    found = search(client, link.token, read_face("bbt/people/amy/amy2.png")).json()
    state = client.get(f"/api/v1/guest/{link.token}/notify").json()
    assert state["phone_available"] is True and state["subscribed"] is False
    wrong = client.post(f"/api/v1/guest/{link.token}/notify", {
        "consent": True, "medium": "phone", "address": "07700 900123", "notify_token": found["notify_token"]},
        format="json")
    assert wrong.json()["error"]["code"] == "notify_phone_invalid"  # no country code
    assert client.post(f"/api/v1/guest/{link.token}/notify", {
        "consent": True, "medium": "phone", "address": "+44 7700 900123", "notify_token": found["notify_token"]},
        format="json").status_code == 201

    ids = arrive(event, "amy3", "sheldon3")

    assert len(receiver.requests) == 1
    sent = json.loads(receiver.requests[0].body)
    assert receiver.requests[0].path == "/sms/send" and sent["to"] == PHONE
    assert "1 new photo of you at Ana & Ben" in sent["title"] + sent["message"]
    back = re.search(r"(http://testserver/s/\S+/back/\S+)", sent["message"]).group(1)
    assert "/notify/unsubscribe/" in sent["message"]
    assert photo_messages().get().status == NotifyMessageStatus.SENT
    from django.test import Client

    phone = Client()
    page = phone.get(phone.get(back)["Location"]).content.decode()
    assert {int(i) for i in re.findall(r'id="photo-(\d+)"', page)} == {ids["amy1.png"], ids["amy3.png"]}


def test_a_gateway_that_refuses_leaves_the_message_pending_with_the_reason(event, arrive, as_alice, receiver):
    receiver.statuses = [500]
    as_alice.post(URL, {"url": json_channel(receiver)}, format="json")
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    client = guest_client("203.0.113.10")
    token = search(client, link.token, read_face("bbt/people/amy/amy2.png")).json()["notify_token"]
    client.post(f"/api/v1/guest/{link.token}/notify", {
        "consent": True, "medium": "phone", "address": PHONE, "notify_token": token}, format="json")
    arrive(event, "amy3")
    message = photo_messages().get()
    assert message.status == NotifyMessageStatus.PENDING and "not delivered" in message.reason
    assert message.next_attempt_at is not None  # the beat tries again


def test_the_notify_settings_are_read_from_the_environment():
    from tests.test_operations import _production

    shown = _production(
        "import django, json; django.setup(); from django.conf import settings as s; from sharing import conf; "
        "print(json.dumps([conf.notify_min_interval_seconds(), conf.notify_window_days(), conf.notify_send_tries(), "
        "[conf.notify_optins_per_client().count, conf.notify_optins_per_client().seconds], s.CELERY_BEAT_SCHEDULE['notify-due']['schedule']]))",
        VISAGE_NOTIFY_MIN_MINUTES="3", VISAGE_NOTIFY_WINDOW_DAYS="7", VISAGE_NOTIFY_SEND_TRIES="2",
        VISAGE_NOTIFY_OPTINS_PER_CLIENT="4", VISAGE_NOTIFY_SWEEP_SECONDS="15", VISAGE_MASTER_KEYS="k1:x")
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == [180, 7, 2, [4, 3600], 15]


def test_a_channel_survives_a_master_key_rotation_and_the_old_keys_removal(
        event, arrive, as_alice, receiver, settings):
    from django.core.management import call_command

    from recognition.crypto import generate_master_key

    as_alice.post(URL, {"url": json_channel(receiver)}, format="json")
    old = settings.VISAGE_MASTER_KEYS
    settings.VISAGE_MASTER_KEYS = f"{generate_master_key('k2')},{old}"
    call_command("rotate_master_key")
    settings.VISAGE_MASTER_KEYS = settings.VISAGE_MASTER_KEYS.split(",")[0]  # the old key is gone
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    client = guest_client("203.0.113.10")
    token = search(client, link.token, read_face("bbt/people/amy/amy2.png")).json()["notify_token"]
    assert client.post(f"/api/v1/guest/{link.token}/notify", {
        "consent": True, "medium": "phone", "address": PHONE, "notify_token": token}, format="json").status_code == 201
    arrive(event, "amy3")
    assert len(receiver.requests) == 1 and json.loads(receiver.requests[0].body)["to"] == PHONE


@pytest.mark.parametrize("url, reason", [
    ("json://127.0.0.1:8080/sms?:to={phone}", "127.0.0.1 resolves to 127.0.0.1, a private or reserved address (loopback)"),
    ("jsons://10.0.0.5/sms?:to={phone}", "10.0.0.5 resolves to 10.0.0.5, a private or reserved address (private)"),
    ("form://169.254.169.254/latest?:to={phone}", "a private or reserved address (link-local)"),
    ("xml://localhost:9000/sms?:to={phone}", "(loopback)"),
    ("forms://user:pass@[::ffff:192.168.1.10]/sms?:to={phone}", "the IPv4-mapped form of 192.168.1.10: private"),
])
def test_a_channel_whose_server_is_private_is_refused_when_saved(as_alice, settings, url, reason):
    settings.VISAGE_NOTIFY_CHANNELS_ALLOW_PRIVATE = False  # as in production (tests allow loopback)
    answer = as_alice.post(URL, {"url": url}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "channel_invalid", answer.content
    message = answer.json()["error"]["message"]
    assert message.startswith("This channel's server cannot be used:") and reason in message, message
    assert "public addresses" in message
    assert not NotifyChannel.objects.exists()


def test_a_channel_whose_name_resolves_to_loopback_at_send_time_is_not_sent_to(
        event, arrive, as_alice, receiver, settings, monkeypatch):
    """DNS rebinding: the gateway's name was public when saved and points at this machine (the loopback
    receiver) when the message goes out; the send resolves it again and refuses."""
    settings.VISAGE_NOTIFY_CHANNELS_ALLOW_PRIVATE = False
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    answers = {"sms-gateway.example": "93.184.216.34"}  # a public address at first
    real = socket.getaddrinfo

    def dns(host, *args, **kwargs):  # the name's DNS, which the studio (or an attacker) controls
        if host not in answers:
            return real(host, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    created = as_alice.post(URL, {"url": f"json://sms-gateway.example:{port}/sms/send?:to={{phone}}"}, format="json")
    assert created.status_code == 201, created.content
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    client = guest_client("203.0.113.10")
    token = search(client, link.token, read_face("bbt/people/amy/amy2.png")).json()["notify_token"]
    assert client.post(f"/api/v1/guest/{link.token}/notify", {
        "consent": True, "medium": "phone", "address": PHONE, "notify_token": token}, format="json").status_code == 201
    receiver.requests.clear()  # the opt-in's own confirmation, if any, went out while the name was public
    answers["sms-gateway.example"] = "127.0.0.1"  # rebound

    arrive(event, "amy3")

    assert receiver.requests == []
    message = NotifyMessage.objects.filter(reason__contains="sms-gateway.example").get()
    assert message.status == NotifyMessageStatus.PENDING
    assert "sms-gateway.example resolves to 127.0.0.1, a private or reserved address (loopback)" in message.reason
