"""Typed hooks (core/hooks.py): the wiring between apps is checked, not hoped for.

The key shredder and the ingest waker are required: a stack where recognition's subscription is
gone (one line removed from its AppConfig.ready) refuses to start (`manage.py check`, which
`migrate` runs before anything else starts). And the shredding is proved through the public
service: `event_delete` with a key directory leaves no key file behind.
"""
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.hooks import Hook, hooks_declared
from events.hooks import EventDeleting, event_deleting, ingest_due, photos_finished
from events.services import event_create, event_delete
from recognition.services.keys import event_data_key, key_store

ROOT = Path(__file__).resolve().parents[2]

# manage.py check, with one subscriber left out of the hooks as the apps start (the line that
# subscribes it deleted); with no name, the stack as shipped.
_CHECK = """
import sys
from core import hooks

unplugged = sys.argv[1]
subscribe = hooks.Hook.subscribe
hooks.Hook.subscribe = lambda self, fn: fn if fn.__name__ == unplugged else subscribe(self, fn)
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check"])
"""


def _check(unplugged: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "visage.settings.test"}
    return subprocess.run([sys.executable, "-c", _CHECK, unplugged], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_stack_as_shipped_passes_its_checks():
    result = _check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("subscriber", "hook"), [
    ("event_key_shred", "events.event_deleting"),
    ("ingest_wake_due", "events.ingest_due"),
])
def test_without_recognitions_subscription_the_stack_refuses_to_start(subscriber, hook):
    result = _check(subscriber)
    assert result.returncode != 0
    assert "core.E010" in result.stderr and f"Required hook '{hook}' has no subscriber" in result.stderr, result.stderr


def test_the_required_hooks_are_the_key_shredder_and_the_ingest_waker():
    assert {hook.name for hook in hooks_declared() if hook.required} == {"events.event_deleting", "events.ingest_due"}
    assert [fn.__name__ for fn in event_deleting.subscribers] == ["event_key_shred"]
    assert [fn.__name__ for fn in ingest_due.subscribers] == ["ingest_wake_due"]


def test_deleting_an_event_through_its_service_shreds_its_key_file(studio_a, alice, settings, tmp_path):
    settings.VISAGE_KEY_STORE_DIR = str(tmp_path / "keys")
    event = event_create(studio=studio_a, user=alice, name="Shred me")
    kept = event_create(studio=studio_a, user=alice, name="Keep me")
    event_data_key(event=event)  # what the engine does when it stores the first face
    event_data_key(event=kept)
    event_id, key_file = event.id, tmp_path / "keys" / f"{event.id}.key"
    assert key_file.exists()
    event_delete(event=event)
    assert not key_file.exists() and key_store().get(event_id) is None
    assert (tmp_path / "keys" / f"{kept.id}.key").exists()  # only the deleted event's key goes


def test_a_shredder_that_fails_stops_the_delete_before_any_row_goes(studio_a, alice, settings, tmp_path):
    from events.models import Event

    settings.VISAGE_KEY_STORE_DIR = str(tmp_path / "keys")
    event = event_create(studio=studio_a, user=alice, name="Stuck")
    event_data_key(event=event)

    def refuse(deleting: EventDeleting) -> None:
        raise OSError("key store read-only")

    event_deleting.subscribe(refuse)
    try:
        with pytest.raises(OSError):
            event_delete(event=event)
    finally:
        event_deleting._subscribers.remove(refuse)
    assert Event.objects.filter(id=event.id).exists()


def test_a_hook_refuses_a_payload_of_another_type():
    with pytest.raises(TypeError, match="carries PhotosFinished"):
        photos_finished.send(EventDeleting(studio_id=1, event_id=2))


def test_a_hook_name_is_declared_once_and_subscribers_once():
    @dataclass(frozen=True)
    class Ping:
        n: int

    seen = []
    hook = Hook("tests.ping", Ping)
    try:
        hook.subscribe(seen.append)
        hook.subscribe(seen.append)
        hook.send(Ping(n=1))
        assert seen == [Ping(n=1)]
        with pytest.raises(ValueError, match="declared twice"):
            Hook("tests.ping", Ping)
    finally:
        from core import hooks

        hooks._declared.pop("tests.ping")
