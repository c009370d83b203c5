"""Re-hash stored originals to prove they are still the bytes that were uploaded."""
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from events.models import Photo
from core.storage import CHUNK_SIZE, object_storage


@dataclass(frozen=True)
class OriginalProblem:
    photo: Photo
    problem: str  # "missing" | "mismatch"
    detail: str


def original_problems(photos) -> Iterator[tuple[Photo, OriginalProblem | None]]:
    storage = object_storage()
    for photo in photos.iterator(chunk_size=500):
        yield photo, _check_one(storage, photo)


def _check_one(storage, photo: Photo) -> OriginalProblem | None:
    digest = hashlib.sha256()
    try:
        with storage.open(photo.original_key, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK_SIZE), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError) as exc:
        return OriginalProblem(photo, "missing", f"cannot read {photo.original_key}: {exc.__class__.__name__}")
    except Exception as exc:  # S3 clients raise their own error types for a missing key
        if "NoSuchKey" in repr(exc) or "404" in repr(exc):
            return OriginalProblem(photo, "missing", f"object {photo.original_key} not found")
        raise
    if digest.hexdigest() != photo.sha256:
        return OriginalProblem(photo, "mismatch", f"sha256 {digest.hexdigest()} != recorded {photo.sha256}")
    return None
