""""Tell me when there are new photos of me", end to end with real photos and real servers: guests
search with a bbt selfie, opt in, new photos are uploaded and processed by the real engine, and a
real SMTP server on loopback (aiosmtpd) receives what Django's SMTP backend sends."""
import re
from datetime import timedelta

import numpy as np
import pytest
from django.db.models import F
from django.test import Client, TestCase
from django.utils import timezone

from events.models import Photo
from events.services import event_create
from recognition.crypto import CryptoError
from recognition.ml.query import rank_query_faces
from recognition.services.keys import event_key_destroy
from sharing.models import NotifyMessage, NotifyMessageStatus, NotifySubscription, ShareLink
from sharing.notify import sealing
from sharing.notify.sending import notify_send_due
from sharing.services.retention import retention_purge
from tests.factories import FACES_DIR
from tests.recognition.helpers import detect_into_event
from tests.sharing.conftest import guest_client, make_link, read_face, search
from tests.smtp_server import smtp_server  # noqa: F401 - fixture
from webhooks.models import Delivery, Webhook

AMY, SHELDON = "amy@guest.example", "sheldon@guest.example"


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Ana & Ben")


@pytest.fixture
def arrive(studio_a, alice, face_pipeline, django_capture_on_commit_callbacks):
    """Photos uploaded and processed by the real engine, with everything queued on commit run
    (the notify task, then the message's delivery) → {file name: photo id} of the whole event."""
    def arrive(event, *names):
        paths = [f"bbt/people/{name.rstrip('0123456789')}/{name}.png" for name in names]
        with django_capture_on_commit_callbacks(execute=True):
            detect_into_event(studio_a, alice, paths, face_pipeline, event=event)
        return dict(Photo.objects.filter(event=event).values_list("original_filename", "id"))
    return arrive


def opt_in(token: str, selfie: str, address: str, *, ip: str, medium: str = "email", mailbox=None):
    """A guest searches with a selfie of theirs (not one of the event's photos) and opts in; the
    opt-in's confirmation is sent as on commit. With `mailbox`, exactly one confirmation reached
    it and is set aside there, so that the tests count the messages about photos."""
    client = guest_client(ip)
    found = search(client, token, read_face(f"bbt/people/{selfie.rstrip('0123456789')}/{selfie}.png"))
    assert found.status_code == 200, found.content
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(f"/api/v1/guest/{token}/notify", {
            "consent": True, "medium": medium, "address": address, "notify_token": found.json()["notify_token"]},
            format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["subscribed"] is True and address not in answer.content.decode()
    if mailbox is not None:
        (confirmation,) = [m for m in mailbox.to(address) if "new photos of you arrive" in smtp_body(m)
                           and "?photo=" not in smtp_body(m)]
        mailbox.messages.remove(confirmation)
    return client


def photo_messages():
    """NotifyMessage rows about photos (an opt-in's confirmation lists none)."""
    return NotifyMessage.objects.exclude(photo_ids=[])


def listed(message) -> set[int]:
    """The photo ids a message lists (one link per new photo)."""
    return {int(i) for i in re.findall(r"\?photo=(\d+)", smtp_body(message))}


def smtp_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def back_link(message) -> str:
    return re.search(r"(http://testserver/s/\S+/back/[^\s?]+)\s", smtp_body(message)).group(1)


def test_an_opted_in_guest_gets_one_message_with_only_their_new_photos(event, arrive, smtp_server, studio_a):
    arrive(event, "amy1", "sheldon1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)
    opt_in(link.token, "sheldon2", SHELDON, ip="203.0.113.11", mailbox=smtp_server)
    hook = Webhook.objects.create(studio=studio_a, url="http://127.0.0.1:9/hook", events=["guest.matched"], secret="s")
    assert smtp_server.messages == []  # opting in sends only its confirmation (set aside by opt_in)

    ids = arrive(event, "amy3", "sheldon3", "penny1")

    assert len(smtp_server.to(AMY)) == 1 and len(smtp_server.to(SHELDON)) == 1 and len(smtp_server.messages) == 2
    to_amy, to_sheldon = smtp_server.to(AMY)[0], smtp_server.to(SHELDON)[0]
    assert listed(to_amy) == {ids["amy3.png"]}  # not amy1 (she had it), not Sheldon's or Penny's
    assert listed(to_sheldon) == {ids["sheldon3.png"]}
    assert "1 new photo of you at Ana & Ben" in to_amy["Subject"]
    assert to_amy["List-Unsubscribe"] and to_amy["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(NotifyMessage.objects.values_list("status", flat=True)) == {NotifyMessageStatus.SENT}
    # API clients hear of it too: counts and the link, never an address or face data
    payloads = [d.payload["data"] for d in Delivery.objects.filter(webhook=hook, event_type="guest.matched")]
    assert sorted(p["photo_count"] for p in payloads) == [1, 1]
    assert all(set(p) == {"event_id", "share_link_id", "photo_count"} and p["share_link_id"] == link.link.id
               for p in payloads)


def test_the_messages_link_restores_only_that_guests_gallery(event, arrive, smtp_server):
    arrive(event, "amy1", "sheldon1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)
    opt_in(link.token, "sheldon2", SHELDON, ip="203.0.113.11", mailbox=smtp_server)
    ids = arrive(event, "amy3", "sheldon3")
    amy_link, sheldon_link = back_link(smtp_server.to(AMY)[0]), back_link(smtp_server.to(SHELDON)[0])

    phone = Client()  # the guest's phone, days later: no cookie, no selfie
    opened = phone.get(amy_link)
    assert opened.status_code == 302 and opened["Location"].endswith("/photos")
    page = phone.get(opened["Location"]).content.decode()
    shown = {int(i) for i in re.findall(r'id="photo-(\d+)"', page)}
    assert shown == {ids["amy1.png"], ids["amy3.png"]}
    tiles = dict(re.findall(r'<li id="photo-(\d+)"(.*?)</li>', page, re.S))
    assert {int(i) for i, tile in tiles.items() if 'class="fresh"' in tile} == {ids["amy3.png"]}  # the new one marked
    code = opened["Location"].split("/")[2]
    one = Client().get(f"{amy_link}?photo={ids['amy3.png']}")  # each listed photo's own link opens it
    assert one.status_code == 302 and one["Location"] == f"/s/{code}/photos/{ids['amy3.png']}"
    assert Client().get(f"{amy_link}?photo={ids['sheldon3.png']}")["Location"] == f"/s/{code}/photos"
    assert phone.get(f"/s/{code}/photos/{ids['sheldon3.png']}/thumb.jpg").status_code == 404
    assert phone.get(f"/s/{code}/photos/{ids['amy3.png']}/thumb.jpg").status_code == 200

    other = Client()
    other.get(sheldon_link)
    sheldon_page = other.get(opened["Location"]).content.decode()
    assert {int(i) for i in re.findall(r'id="photo-(\d+)"', sheldon_page)} == {ids["sheldon1.png"], ids["sheldon3.png"]}

    another_link = make_link(event, scope="selfie").link
    elsewhere = amy_link.replace(f"/s/{code}/", f"/s/{another_link.code}/")
    assert Client().get(elsewhere).status_code == 404  # not another link's
    token = amy_link.rsplit("/", 1)[1]
    tampered = amy_link[:-len(token)] + token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().get(tampered).status_code == 404
    ShareLink.objects.filter(id=link.link.id).update(max_uses=F("use_count"))  # every use taken: its guests
    assert Client().get(amy_link).status_code == 302                          # still come back
    ShareLink.objects.filter(id=link.link.id).update(revoked_at=timezone.now())
    assert Client().get(amy_link).status_code == 410  # a revoked link lets nobody in
    ShareLink.objects.filter(id=link.link.id).update(revoked_at=None)
    NotifySubscription.objects.filter(id=NotifySubscription.objects.order_by("id").first().id).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    assert Client().get(amy_link).status_code == 404  # the window ended


def test_throttling_holds_messages_until_the_minimum_interval(event, arrive, smtp_server, settings,
                                                              django_capture_on_commit_callbacks):
    settings.VISAGE_NOTIFY_MIN_MINUTES = 10
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)
    arrive(event, "amy3")
    assert len(smtp_server.messages) == 1
    arrive(event, "amy4")
    ids = arrive(event, "amy5")  # two batches within the interval
    assert len(smtp_server.messages) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_send_due(now=timezone.now() + timedelta(minutes=5)) == []
    assert len(smtp_server.messages) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert len(notify_send_due(now=timezone.now() + timedelta(minutes=11))) == 1
    assert len(smtp_server.messages) == 2
    assert listed(smtp_server.messages[1]) == {ids["amy4.png"], ids["amy5.png"]}  # one message for both


def _stop_by_unsubscribe_link(client, token, mailbox):
    url = re.search(r"(http://testserver/notify/unsubscribe/\S+)", smtp_body(mailbox.messages[-1])).group(1)
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(url).status_code == 200
    assert NotifySubscription.objects.exists()  # a mail scanner opening the link deletes nothing
    assert browser.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200  # RFC 8058, no CSRF token


def _stop_by_opt_out(client, token, mailbox):
    answer = client.delete(f"/api/v1/guest/{token}/notify")
    assert answer.status_code == 200 and answer.json()["subscribed"] is False


def _stop_by_forget_me(client, token, mailbox):
    assert client.post(f"/api/v1/guest/{token}/forget").status_code == 200


def _stop_by_retention(client, token, mailbox):
    assert retention_purge(today=timezone.localdate() + timedelta(days=400)).notify_subscriptions == 1


@pytest.mark.parametrize("stop", [_stop_by_unsubscribe_link, _stop_by_opt_out, _stop_by_forget_me, _stop_by_retention])
def test_every_way_out_deletes_the_template_and_stops_messages(event, arrive, smtp_server, stop):
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    client = opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)
    arrive(event, "amy3")
    assert len(smtp_server.messages) == 1
    stop(client, link.token, smtp_server)
    assert not NotifySubscription.objects.exists()  # template, address and pending photos gone with the row
    arrive(event, "amy4")
    assert len(smtp_server.messages) == 1


def test_the_template_and_address_are_stored_encrypted_under_the_event_key(event, arrive, face_pipeline):
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10")
    row = NotifySubscription.objects.get()
    selfie = rank_query_faces(face_pipeline.analyze((FACES_DIR / "bbt/people/amy/amy2.png").read_bytes()))[0].embedding
    kept = sealing.template_open(event=event, uid=str(row.uid), blob=row.template_ciphertext)
    assert float(np.dot(kept, selfie)) > 0.999  # the search's face, and only as ciphertext:
    assert np.asarray(selfie, "<f4").tobytes()[:16] not in bytes(row.template_ciphertext)
    assert AMY.encode() not in bytes(row.address_ciphertext)
    event_key_destroy(event=event)  # what deleting the event or its retention does first
    with pytest.raises(CryptoError):
        sealing.template_open(event=event, uid=str(row.uid), blob=row.template_ciphertext)


def test_opting_in_needs_its_own_consent_and_this_visits_search(event, arrive):
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    client = guest_client("203.0.113.10")
    token = search(client, link.token, read_face("bbt/people/amy/amy2.png")).json()["notify_token"]
    url = f"/api/v1/guest/{link.token}/notify"
    no_consent = client.post(url, {"address": AMY, "notify_token": token}, format="json")
    assert no_consent.status_code == 400 and no_consent.json()["error"]["code"] == "notify_consent_required"
    bad_address = client.post(url, {"consent": True, "address": "not-an-address", "notify_token": token}, format="json")
    assert bad_address.json()["error"]["code"] == "notify_address_invalid"
    stranger = guest_client("203.0.113.99")  # another visit cannot opt in with this visit's face
    search(stranger, link.token, read_face("bbt/people/sheldon/sheldon2.png"))
    stolen = stranger.post(url, {"consent": True, "address": AMY, "notify_token": token}, format="json")
    assert stolen.status_code == 400 and stolen.json()["error"]["code"] == "notify_search_first"
    assert not NotifySubscription.objects.exists()
    assert client.post(url, {"consent": True, "address": AMY, "notify_token": token}, format="json").status_code == 201
    record = NotifySubscription.objects.get()
    assert record.consent_version.startswith("2026-12-03.v1") and record.ip_hash and "203.0.113.10" not in record.ip_hash


def test_the_studio_can_switch_it_off_and_organizers_see_only_the_count(event, arrive, smtp_server, as_alice,
                                                                         as_charlie, alice):
    from sharing.services.organizers import organizer_invite
    from tests.factories import client_for

    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)
    organizer = organizer_invite(event=event, email="couple@example.com", invited_by=alice, base_url="http://t")
    seen = client_for(organizer.user).get(f"/api/v1/events/{event.id}/notify-policy/")
    assert seen.status_code == 200 and seen.json() == {"enabled": True, "opted_in": 1}
    browser = Client()
    browser.force_login(organizer.user)
    page = browser.get(f"/events/{event.id}/sharing/").content.decode()
    assert "1 guest opted in" in page and AMY not in page  # the Sharing page: the count, never who
    assert as_alice.get(f"/api/v1/events/{event.id}/").json()["counters"]["notify_opted_in"] == 1
    assert as_charlie.get(f"/api/v1/events/{event.id}/notify-policy/").status_code == 404
    assert as_alice.patch(f"/api/v1/events/{event.id}/notify-policy/", {"enabled": False},
                          format="json").json()["enabled"] is False
    arrive(event, "amy3")
    assert smtp_server.messages == []  # switched off: nothing is sent
    late = guest_client("203.0.113.12")
    found = search(late, link.token, read_face("bbt/people/amy/amy4.png")).json()
    assert found["notify_token"] is None  # and nothing is offered


def test_a_message_that_cannot_be_sent_is_retried_then_ends_failed_with_the_reason(
        event, arrive, settings, django_capture_on_commit_callbacks):
    from tests.smtp_server import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2  # nobody listens
    settings.VISAGE_NOTIFY_SEND_TRIES = 3
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10")
    arrive(event, "amy3")
    message = photo_messages().get()
    assert (message.status, message.attempts) == (NotifyMessageStatus.PENDING, 1) and "ConnectionRefused" in message.reason
    assert notify_send_due(now=timezone.now() + timedelta(seconds=10)) == [] and photo_messages().get().attempts == 1
    for hours in (1, 2):
        notify_send_due(now=timezone.now() + timedelta(hours=hours))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (NotifyMessageStatus.FAILED, 3) and "ConnectionRefused" in message.reason


def test_a_french_guest_opts_in_on_the_page_and_is_written_to_in_french(event, arrive, smtp_server):
    from django.core.files.uploadedfile import SimpleUploadedFile

    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    phone = Client(HTTP_ACCEPT_LANGUAGE="fr-FR", REMOTE_ADDR="203.0.113.20")
    assert phone.post(f"/s/{link.token}/consent", {"consent": "yes", "consent_language": "fr"}).status_code == 302
    selfie = SimpleUploadedFile("me.png", read_face("bbt/people/amy/amy2.png"), content_type="image/png")
    assert phone.post(f"/s/{link.token}/selfie", {"selfie": selfie}).status_code == 302
    page = phone.get(f"/s/{link.token}/photos").content.decode()
    assert "Prévenez-moi quand il y a de nouvelles photos de moi" in page and "Pour vous prévenir" in page
    done = phone.post(f"/s/{link.token}/notify", {"address": AMY, "notify_consent": "yes", "medium": "email",
                                                 "consent_language": "fr"})
    assert done.status_code == 302
    record = NotifySubscription.objects.get()
    assert record.consent_language == "fr" and "/fr-" in record.consent_version and record.language == "fr"
    assert "Arrêter les messages" in phone.get(f"/s/{link.token}/photos").content.decode()  # now: the way out
    arrive(event, "amy3")
    assert "1 nouvelle photo de vous à Ana & Ben" in smtp_server.to(AMY)[0]["Subject"]


def test_hidden_photos_and_faces_hidden_from_guests_are_never_announced(
        event, arrive, smtp_server, studio_a, alice, face_pipeline, django_capture_on_commit_callbacks):
    from events.services import photo_set_hidden
    from recognition.models import Face
    from recognition.services.exclusion import faces_set_guest_excluded
    from sharing.notify.hook import notify_match

    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)
    # Processed, but the batch's notice is held back (no on-commit here) while the studio hides things.
    detect_into_event(studio_a, alice, [f"bbt/people/amy/amy{i}.png" for i in (3, 4, 5)], face_pipeline, event=event)
    ids = dict(Photo.objects.filter(event=event).values_list("original_filename", "id"))
    photo_set_hidden(photo=Photo.objects.get(id=ids["amy3.png"]), hidden=True)
    faces_set_guest_excluded(event=event, face_ids=list(Face.objects.filter(photo_id=ids["amy4.png"])
                                                       .values_list("id", flat=True)), excluded=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify_match.delay([ids["amy3.png"], ids["amy4.png"], ids["amy5.png"]])
    assert [listed(m) for m in smtp_server.messages] == [{ids["amy5.png"]}]


def test_deleting_the_event_deletes_the_opt_ins_and_their_key(event, arrive):
    from events.services import event_delete
    from recognition.models import EventKey

    arrive(event, "amy1")
    opt_in(make_link(event, scope="selfie").token, "amy2", AMY, ip="203.0.113.10")
    assert NotifySubscription.objects.exists() and EventKey.objects.filter(event=event).exists()
    event_delete(event=event)
    assert not NotifySubscription.objects.exists() and not EventKey.objects.filter(event_id=event.id).exists()


def test_one_address_cannot_sign_up_a_stream_of_addresses(event, arrive, settings):
    settings.VISAGE_NOTIFY_OPTINS_PER_CLIENT = (2, 3600)
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    client = guest_client("203.0.113.10")
    token = search(client, link.token, read_face("bbt/people/amy/amy2.png")).json()["notify_token"]
    codes = [client.post(f"/api/v1/guest/{link.token}/notify", {"consent": True, "address": f"victim{i}@example.com",
                                                                "notify_token": token}, format="json").status_code
             for i in range(3)]
    assert codes == [201, 201, 429]
    assert NotifySubscription.objects.count() == 1  # each opt-in of a visit replaces the last


def test_a_guest_who_arrives_before_any_photo_is_told_about_the_first_ones(event, arrive, smtp_server):
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)  # nothing to find yet: the reason to opt in
    ids = arrive(event, "amy1", "penny1")
    assert [listed(m) for m in smtp_server.to(AMY)] == [{ids["amy1.png"]}]


def test_no_message_after_the_window_and_no_window_past_retention(event, arrive, smtp_server, settings):
    from events.models import Event

    settings.VISAGE_NOTIFY_WINDOW_DAYS = 30
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)
    record = NotifySubscription.objects.get()
    assert timedelta(days=29) < record.expires_at - timezone.now() <= timedelta(days=30)
    NotifySubscription.objects.update(expires_at=timezone.now() - timedelta(seconds=1))  # the window ended
    arrive(event, "amy3")
    assert smtp_server.messages == []
    # An event 85 days old with the default 90-day retention: the window stops where its face data goes.
    Event.objects.filter(id=event.id).update(starts_on=timezone.localdate() - timedelta(days=85))
    NotifySubscription.objects.all().delete()
    opt_in(link.token, "amy4", AMY, ip="203.0.113.11", mailbox=smtp_server)
    assert NotifySubscription.objects.get().expires_at.date() == timezone.localdate() + timedelta(days=6)
    Event.objects.filter(id=event.id).update(starts_on=timezone.localdate() - timedelta(days=91))
    late = search(guest_client("203.0.113.12"), link.token, read_face("bbt/people/amy/amy5.png"))
    assert late.json()["notify_token"] is None  # past retention nothing is offered


def test_a_message_whose_delivery_could_not_be_queued_is_sent_by_the_beat(event, arrive, smtp_server, monkeypatch):
    """The broker away when a message is made: only the nudge is lost; the message is due, so the beat sends it."""
    from kombu.exceptions import OperationalError

    from sharing.notify import sending

    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    opt_in(link.token, "amy2", AMY, ip="203.0.113.10", mailbox=smtp_server)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(sending.notify_deliver_task, "delay", broker_down)
    arrive(event, "amy3")
    assert smtp_server.messages == [] and photo_messages().get().status == NotifyMessageStatus.PENDING
    monkeypatch.undo()
    notify_send_due()
    assert len(smtp_server.to(AMY)) == 1 and photo_messages().get().status == NotifyMessageStatus.SENT


def test_opting_in_sends_exactly_one_confirmation_whose_unsubscribe_link_works(event, arrive, smtp_server,
                                                                                 django_capture_on_commit_callbacks):
    arrive(event, "amy1")
    link = make_link(event, scope="selfie")
    client = guest_client("203.0.113.10")
    found = search(client, link.token, read_face("bbt/people/amy/amy2.png")).json()
    with django_capture_on_commit_callbacks(execute=True):  # the commit nudges Celery (eager here)
        assert client.post(f"/api/v1/guest/{link.token}/notify", {
            "consent": True, "medium": "email", "address": AMY, "notify_token": found["notify_token"]},
            format="json").status_code == 201

    (confirmation,) = smtp_server.messages
    body = smtp_body(confirmation)
    assert confirmation["To"] == AMY and "You'll be told about new photos of you at Ana & Ben" in confirmation["Subject"]
    assert "you'll be told when new photos of you arrive at “Ana & Ben”" in body and "?photo=" not in body
    unsubscribe = re.search(r"(http://testserver/notify/unsubscribe/\S+)", body).group(1)
    assert confirmation["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    sent = NotifyMessage.objects.get()
    assert sent.photo_ids == [] and sent.status == NotifyMessageStatus.SENT and sent.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        notify_send_due(now=timezone.now() + timedelta(hours=1))  # the beat sends nothing twice
    assert len(smtp_server.messages) == 1
    assert NotifySubscription.objects.get().last_sent_at is None  # not counted against the interval

    browser = Client(enforce_csrf_checks=True)
    assert browser.post(unsubscribe, {"List-Unsubscribe": "One-Click"}).status_code == 200  # RFC 8058 one-click
    assert not NotifySubscription.objects.exists() and not NotifyMessage.objects.exists()
    arrive(event, "amy3")
    assert len(smtp_server.messages) == 1  # nothing after unsubscribing
