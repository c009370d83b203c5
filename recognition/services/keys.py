"""Per-event data keys: created on first use, wrapped by the master keyring, shredded on delete.

Where the wrapped keys live is a KeyStore. The default keeps them in the database (EventKey:
no setup; `make run` and the compose stack set a directory). With VISAGE_KEY_STORE_DIR set they live as
files outside the database (keys found in the database are moved there on first use), so database
backups never contain them: a shredded key is then gone from the live system even though old
database dumps still hold the ciphertexts (docs/sharing.md, "What deletion guarantees").
"""
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.hooks import EventDeleting
from events.models import Event
from recognition import conf, crypto
from recognition.models import EventKey


class KeyStore(Protocol):
    def get(self, event_id: int) -> bytes | None: ...
    def add(self, *, studio_id: int, event_id: int, wrapped: bytes) -> bytes: ...  # the stored one wins a race
    def replace(self, event_id: int, wrapped: bytes) -> None: ...
    def delete(self, event_id: int) -> int: ...
    def items(self) -> Iterator[tuple[int, bytes]]: ...


class DatabaseKeyStore:
    """Wrapped keys as EventKey rows (the default): shredding deletes the row, but a database
    backup taken before still holds it."""

    def get(self, event_id: int) -> bytes | None:
        row = EventKey.objects.filter(event_id=event_id).values_list("wrapped_key", flat=True).first()
        return bytes(row) if row is not None else None

    def add(self, *, studio_id: int, event_id: int, wrapped: bytes) -> bytes:
        try:
            with transaction.atomic():
                EventKey.objects.create(studio_id=studio_id, event_id=event_id, wrapped_key=wrapped)
            return wrapped
        except IntegrityError:  # another worker created it first: use theirs
            return self.get(event_id)

    def replace(self, event_id: int, wrapped: bytes) -> None:
        EventKey.objects.filter(event_id=event_id).update(wrapped_key=wrapped, rewrapped_at=timezone.now())

    def delete(self, event_id: int) -> int:
        deleted, _ = EventKey.objects.filter(event_id=event_id).delete()
        return deleted

    def items(self) -> Iterator[tuple[int, bytes]]:
        for event_id, wrapped in EventKey.objects.order_by("id").values_list("event_id", "wrapped_key").iterator(2000):
            yield event_id, bytes(wrapped)


class DirectoryKeyStore:
    """Wrapped keys as files `<dir>/<event id>.key` (mode 0600), outside the database and its backups."""

    def __init__(self, directory: str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, event_id: int) -> Path:
        return self.directory / f"{int(event_id)}.key"

    def get(self, event_id: int) -> bytes | None:
        try:
            return self._path(event_id).read_bytes()
        except FileNotFoundError:
            return self._adopt(event_id)

    def _adopt(self, event_id: int) -> bytes | None:
        """A key an install kept in the database before it switched stores (make run did until the
        file store became its default): moved here, or its event's embeddings could not be read."""
        row = EventKey.objects.filter(event_id=event_id).values_list("studio_id", "wrapped_key").first()
        if row is None:
            return None
        stored = self.add(studio_id=row[0], event_id=event_id, wrapped=bytes(row[1]))
        EventKey.objects.filter(event_id=event_id).delete()
        return stored

    def add(self, *, studio_id: int, event_id: int, wrapped: bytes) -> bytes:
        path = self._path(event_id)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(wrapped)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # atomic and exclusive: two workers racing end with one key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        return path.read_bytes()

    def replace(self, event_id: int, wrapped: bytes) -> None:
        tmp = self._path(event_id).with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(wrapped)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self._path(event_id))

    def delete(self, event_id: int) -> int:
        try:
            self._path(event_id).unlink()
        except FileNotFoundError:
            return 0
        _fsync_dir(self.directory)  # the unlink itself must survive a crash
        return 1

    def items(self) -> Iterator[tuple[int, bytes]]:
        for event_id in list(EventKey.objects.values_list("event_id", flat=True)):
            self._adopt(event_id)
        for path in sorted(self.directory.glob("*.key")):
            yield int(path.stem), path.read_bytes()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def key_store() -> KeyStore:
    directory = conf.keys().key_store_dir
    return DirectoryKeyStore(directory) if directory else DatabaseKeyStore()


@lru_cache(maxsize=4)
def _keyring(value: str) -> crypto.MasterKeyring:
    return crypto.parse_master_keys(value)


def keyring() -> crypto.MasterKeyring:
    master_keys = conf.keys().master_keys
    if not master_keys:
        raise crypto.CryptoConfigError("VISAGE_MASTER_KEYS is not set; generate one with `python -m recognition.crypto`.")
    return _keyring(master_keys)


def event_data_key(*, event: Event) -> bytes:
    """The event's plaintext data key (never stored); created and wrapped on first use."""
    store = key_store()
    wrapped = store.get(event.id)
    if wrapped is None:
        new = crypto.wrap_data_key(crypto.new_data_key(), keyring=keyring(), event_id=event.id)
        wrapped = store.add(studio_id=event.studio_id, event_id=event.id, wrapped=new)
    return crypto.unwrap_data_key(wrapped, keyring=keyring(), event_id=event.id)


def event_key_destroy(*, event: Event) -> int:
    """Crypto-shred: without the data key the event's embedding ciphertexts are noise.
    Both stores are cleared, so switching stores never leaves a key behind."""
    return _key_destroy(event.id)


def event_key_shred(deleting: EventDeleting) -> None:
    """The key shredder, subscribed to the required hook events.hooks.event_deleting: the data key
    goes before any object or row of the event (an error here aborts the delete)."""
    _key_destroy(deleting.event_id)


def _key_destroy(event_id: int) -> int:
    deleted = DatabaseKeyStore().delete(event_id)
    store = key_store()
    if not isinstance(store, DatabaseKeyStore):
        deleted += store.delete(event_id)
    return deleted


def event_ids_with_external_key() -> set[int]:
    """Events whose key lives outside the database (EventKey rows are found with a query)."""
    store = key_store()
    return set() if isinstance(store, DatabaseKeyStore) else {event_id for event_id, _ in store.items()}


def master_key_rotate() -> tuple[int, int]:
    """Re-wrap every data key under the current master key → (rewrapped, already current)."""
    ring, store, rewrapped, current = keyring(), key_store(), 0, 0
    for event_id, wrapped in list(store.items()):
        new = crypto.rewrap_data_key(wrapped, keyring=ring, event_id=event_id)
        if new == wrapped:
            current += 1
            continue
        store.replace(event_id, new)
        rewrapped += 1
    return rewrapped, current


# Apps above seal their own secrets under the master key (sharing: phone channel URLs); they
# register how to re-seal them, and rotate_master_key runs each after the data keys.
_resealers: list = []


def master_resealer_register(resealer) -> None:
    """`resealer()` re-seals its secrets under the current master key → how many it re-sealed."""
    if resealer not in _resealers:
        _resealers.append(resealer)


def master_secrets_reseal() -> int:
    return sum(resealer() for resealer in _resealers)
