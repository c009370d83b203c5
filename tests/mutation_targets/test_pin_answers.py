"""sharing/services/access.py: what a guest is told after a wrong PIN — the tries left before a pause,
in words (one try / n tries), then the wait; the right PIN needs no tries at all."""
import pytest
from django.utils import translation

from events.services import event_create
from sharing.clients import Client
from sharing.errors import PinLocked, PinRequired, PinWrong
from sharing.services.access import guest_pin_verify
from sharing.services.links import share_link_create

GUEST = Client(ip_hash="c" * 64, user_agent="test phone", device="device-7")


@pytest.fixture
def link(studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Gala")
    return share_link_create(event=event, user=None, base_url="http://testserver", pin="4821").link


def _answer(link, pin) -> tuple[str, str]:
    try:
        guest_pin_verify(link=link, pin=pin, client=GUEST)
    except (PinWrong, PinLocked, PinRequired) as refused:
        with translation.override("en"):
            return refused.code, str(refused.message)
    return "ok", ""


def test_each_wrong_pin_says_how_many_tries_are_left_then_how_long_to_wait(link, settings):
    settings.VISAGE_PIN_MAX_FAILURES, settings.VISAGE_PIN_LOCKOUT_SECONDS = 3, 90
    assert _answer(link, None) == ("pin_required", "This gallery is protected by a PIN. Enter the PIN you were given.")
    assert _answer(link, "0000") == ("pin_wrong", "That PIN is not right. 2 more tries before a pause.")
    assert _answer(link, "4821") == ("ok", "")  # the right PIN gives its try back: still 2 left
    assert _answer(link, "0001") == ("pin_wrong", "That PIN is not right. 1 more try before a pause.")
    assert _answer(link, "0002") == ("pin_locked", "Too many wrong PINs. Please wait 2 minutes, then try again.")
    assert _answer(link, "4821")[0] == "pin_locked"  # the wait holds for the right PIN too
