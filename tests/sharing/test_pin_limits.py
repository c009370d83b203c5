"""Venue-proof PIN limits (issue #20): per device, per address, per link; the organizer's unlock.

Before: 5 wrong PINs from one address locked that address for 15 minutes (one venue Wi-Fi = one
NAT address: every guest), 30 from anywhere locked the link for an hour, and the organizer saw
neither. Each guest here is its own APIClient, so its own cookie jar and device cookie.
"""
import os
import subprocess
import sys
import time

from django.test import Client as PageClient

from events.services import event_create
from sharing.devices import DEVICE_COOKIE
from sharing.services.organizers import organizer_invite
from tests.factories import client_for
from tests.sharing.conftest import guest_client, make_link

VENUE = "203.0.113.50"
PIN = "4821"


def enter(client, key, pin):
    return client.post(f"/api/v1/guest/{key}/session", {"consent": True, "pin": pin}, format="json")


def code_of(response) -> str:
    return response.json()["error"]["code"]


def test_one_typo_prone_guest_behind_a_venue_address_locks_out_only_their_phone(event):
    created = make_link(event, pin=PIN)
    venue = [guest_client(VENUE) for _ in range(20)]
    clumsy = venue[0]
    answers = [enter(clumsy, created.token, "0000") for _ in range(7)]
    assert [code_of(a) for a in answers] == ["pin_wrong"] * 4 + ["pin_locked"] * 3
    assert answers[4]["Retry-After"] == str(15 * 60) and "15 minutes" in answers[4].json()["error"]["message"]
    assert DEVICE_COOKIE in clumsy.cookies  # the lockout is tied to the signed device cookie
    assert [enter(guest, created.token, PIN).status_code for guest in venue[1:]] == [201] * 19  # before: 429 for all
    assert code_of(enter(clumsy, created.token, PIN)) == "pin_locked"  # the clumsy phone still waits


def test_a_forged_device_cookie_is_a_new_device_not_someone_elses(event):
    created = make_link(event, pin=PIN)
    guest = guest_client(VENUE)
    enter(guest, created.token, "0000")
    guest.cookies[DEVICE_COOKIE] = "victim-device-id"  # unsigned: ignored, a new device is issued
    enter(guest, created.token, "0000")
    assert guest.cookies[DEVICE_COOKIE].value != "victim-device-id"


def test_an_attacker_dropping_cookies_is_paused_per_address_with_growing_waits(event, settings):
    settings.VISAGE_PIN_PAUSE_SECONDS, settings.VISAGE_PIN_MAX_PAUSE_SECONDS = 1, 60
    created = make_link(event, pin=PIN)
    tries = [enter(guest_client(VENUE), created.token, f"{n:04d}") for n in range(1, 21)]  # a fresh device each
    assert [code_of(t) for t in tries] == ["pin_wrong"] * 19 + ["pin_locked"]  # the address's 20 free wrong PINs
    assert tries[-1]["Retry-After"] == "1"
    refused = enter(guest_client(VENUE), created.token, PIN)  # even the right PIN waits out the pause
    assert code_of(refused) == "pin_locked" and int(refused["Retry-After"]) <= 1
    assert enter(guest_client("198.51.100.9"), created.token, PIN).status_code == 201  # other addresses: unaffected
    time.sleep(1.1)
    again = enter(guest_client(VENUE), created.token, "9999")
    assert code_of(again) == "pin_locked" and again["Retry-After"] == "2"  # one try, then a doubled pause
    assert code_of(enter(guest_client(VENUE), created.token, "9998")) == "pin_locked"


def test_rotating_addresses_slow_the_link_without_an_hour_lockout(event, settings):
    settings.VISAGE_PIN_FAILURES_PER_LINK = (10, 3600)
    settings.VISAGE_PIN_PAUSE_SECONDS, settings.VISAGE_PIN_MAX_PAUSE_SECONDS = 1, 2
    created = make_link(event, pin=PIN)
    tries = [enter(guest_client(f"192.0.2.{n}"), created.token, f"{n:04d}") for n in range(1, 11)]
    assert [code_of(t) for t in tries] == ["pin_wrong"] * 9 + ["pin_locked"]
    assert tries[-1]["Retry-After"] == "1"  # before: 3600, for every guest of the wedding
    assert code_of(enter(guest_client("198.51.100.20"), created.token, PIN)) == "pin_locked"
    time.sleep(1.1)
    assert enter(guest_client("198.51.100.20"), created.token, PIN).status_code == 201


def test_lockout_settings_take_effect(event, settings):
    settings.VISAGE_PIN_MAX_FAILURES, settings.VISAGE_PIN_LOCKOUT_SECONDS = 2, 90
    created = make_link(event, pin=PIN)
    guest = guest_client()
    assert code_of(enter(guest, created.token, "0000")) == "pin_wrong"
    locked = enter(guest, created.token, "0000")
    assert code_of(locked) == "pin_locked" and locked["Retry-After"] == "90"
    assert "2 minutes" in locked.json()["error"]["message"]


def test_the_pin_page_says_how_long_to_wait(event):
    created = make_link(event, pin=PIN)
    page = PageClient(REMOTE_ADDR=VENUE)
    for _ in range(5):
        answer = page.post(f"/s/{created.token}/pin", {"pin": "0000"})
    assert answer.status_code == 429 and answer["Retry-After"] == str(15 * 60)
    assert "15 minutes" in answer.content.decode()


def lock_one_phone(created):
    clumsy = guest_client(VENUE)
    for _ in range(5):
        enter(clumsy, created.token, "0000")
    return clumsy


def test_the_organizer_sees_the_lock_and_unlocks(event, as_alice, studio_a):
    created = make_link(event, pin=PIN)
    clumsy = lock_one_phone(created)
    url = f"/api/v1/events/{event.id}/share-links/{created.link.id}/"
    state = as_alice.get(url).json()["pin_lock"]
    assert state == {"locked": True, "retry_after": 0, "wrong_pins": 5, "devices_locked": 1, "addresses_paused": 0}
    listed = as_alice.get(f"/api/v1/events/{event.id}/share-links/").json()["results"]
    assert listed[0]["pin_lock"]["devices_locked"] == 1
    organizer = organizer_invite(event=event, email="ana@couple.example", invited_by=None, base_url="http://testserver")
    unlocked = client_for(organizer.user).post(url + "unlock/")
    assert unlocked.status_code == 200 and unlocked.json()["pin_lock"]["locked"] is False
    assert enter(clumsy, created.token, PIN).status_code == 201


def test_only_the_events_managers_unlock(event, as_charlie, as_vera, as_alice, studio_b, charlie):
    created = make_link(event, pin=PIN)
    lock_one_phone(created)
    url = f"/api/v1/events/{event.id}/share-links/{created.link.id}/unlock/"
    assert as_charlie.post(url).status_code == 404  # another studio: not even there
    assert as_vera.post(url).status_code == 403  # a viewer of this studio
    other = event_create(studio=studio_b, user=charlie, name="Other")
    assert as_alice.post(f"/api/v1/events/{other.id}/share-links/{created.link.id}/unlock/").status_code == 404
    assert as_alice.get(f"/api/v1/events/{event.id}/share-links/{created.link.id}/").json()["pin_lock"]["locked"]


def test_the_sharing_page_shows_the_lock_and_its_unlock_button(event, alice, charlie):
    created = make_link(event, pin=PIN, label="Tables")
    clumsy = lock_one_phone(created)
    page = PageClient()
    page.force_login(alice)
    html = page.get(f"/events/{event.id}/sharing/").content.decode()
    assert "Wrong PINs" in html and "1 phone locked out" in html
    unlock_url = f"/events/{event.id}/sharing/links/{created.link.id}/unlock/"
    assert unlock_url in html
    outsider = PageClient()
    outsider.force_login(charlie)
    assert outsider.post(unlock_url).status_code == 404
    assert page.post(unlock_url).status_code == 302
    assert enter(clumsy, created.token, PIN).status_code == 201


def test_the_pin_settings_are_read_from_the_environment():
    """Operators set them in the environment: visage/settings/base.py reads each once."""
    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "print(s.VISAGE_PIN_MAX_FAILURES, s.VISAGE_PIN_LOCKOUT_SECONDS, s.VISAGE_PIN_FAILURES_PER_ADDRESS[0], "
             "s.VISAGE_PIN_FAILURES_PER_LINK[0], s.VISAGE_PIN_PAUSE_SECONDS, s.VISAGE_PIN_MAX_PAUSE_SECONDS)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "visage.settings.test", "VISAGE_PIN_MAX_FAILURES": "3",
           "VISAGE_PIN_LOCKOUT_SECONDS": "60", "VISAGE_PIN_FAILURES_PER_ADDRESS": "40",
           "VISAGE_PIN_FAILURES_PER_LINK": "500", "VISAGE_PIN_PAUSE_SECONDS": "5", "VISAGE_PIN_MAX_PAUSE_SECONDS": "30"}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split()[-6:] == ["3", "60", "40", "500", "5", "30"]
