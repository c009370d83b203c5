"""Per-event data keys: created on first use, wrapped by the master keyring, shredded on delete."""
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event
from recognition import crypto
from recognition.models import EventKey


@lru_cache(maxsize=4)
def _keyring(value: str) -> crypto.MasterKeyring:
    return crypto.parse_master_keys(value)


def keyring() -> crypto.MasterKeyring:
    if not settings.VISAGE_MASTER_KEYS:
        raise crypto.CryptoConfigError("VISAGE_MASTER_KEYS is not set; generate one with `python -m recognition.crypto`.")
    return _keyring(settings.VISAGE_MASTER_KEYS)


def event_data_key(*, event: Event) -> bytes:
    """The event's plaintext data key (never stored); created and wrapped on first use."""
    row = EventKey.objects.filter(event=event).first()
    if row is None:
        row = _event_key_create(event)
    return crypto.unwrap_data_key(bytes(row.wrapped_key), keyring=keyring(), event_id=event.id)


def _event_key_create(event: Event) -> EventKey:
    wrapped = crypto.wrap_data_key(crypto.new_data_key(), keyring=keyring(), event_id=event.id)
    try:
        with transaction.atomic():
            return EventKey.objects.create(studio_id=event.studio_id, event=event, wrapped_key=wrapped)
    except IntegrityError:  # another worker created it first: use theirs
        return EventKey.objects.get(event=event)


def event_key_destroy(*, event: Event) -> int:
    """Crypto-shred: without the data key the event's embedding ciphertexts are noise."""
    deleted, _ = EventKey.objects.filter(event=event).delete()
    return deleted


def master_key_rotate() -> tuple[int, int]:
    """Re-wrap every data key under the current master key → (rewrapped, already current)."""
    ring, rewrapped, current = keyring(), 0, 0
    for row in EventKey.objects.order_by("id").iterator(chunk_size=500):
        new = crypto.rewrap_data_key(bytes(row.wrapped_key), keyring=ring, event_id=row.event_id)
        if new == bytes(row.wrapped_key):
            current += 1
            continue
        EventKey.objects.filter(id=row.id).update(wrapped_key=new, rewrapped_at=timezone.now())
        rewrapped += 1
    return rewrapped, current
