"""Object storage for originals and derivatives. Keys are always prefixed by the studio id."""
import uuid
from pathlib import PurePosixPath

from django.core.files.storage import Storage, storages

CHUNK_SIZE = 1024 * 1024


def object_storage() -> Storage:
    return storages["default"]


def event_prefix(*, studio_id: int, event_id: int) -> str:
    return f"{studio_id}/events/{event_id}/"


def original_key(*, studio_id: int, event_id: int, filename: str) -> str:
    """A fresh, collision-free key; the extension is kept so downloads look familiar."""
    ext = PurePosixPath(filename).suffix.lower()[:10]
    return f"{event_prefix(studio_id=studio_id, event_id=event_id)}originals/{uuid.uuid4().hex}{ext}"


def derivative_key(*, studio_id: int, event_id: int, photo_id: int, kind: str) -> str:
    return f"{event_prefix(studio_id=studio_id, event_id=event_id)}derivatives/{photo_id}/{kind}.jpg"


def is_filesystem(storage: Storage) -> bool:
    """True when objects are plain local files (served by streaming), False for S3 (presigned URLs)."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True


def delete_prefix(storage, prefix: str) -> None:
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:  # nothing was ever stored there (S3 lists an empty prefix instead)
        return
    for name in files:
        storage.delete(f"{prefix}{name}")
    for directory in directories:
        delete_prefix(storage, f"{prefix}{directory}/")
