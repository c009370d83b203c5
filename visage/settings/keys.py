"""Persistent per-install secrets for the embedded default (production sets them in the
environment): the master key that wraps event data keys, and Django's SECRET_KEY."""
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def local_master_keys(path: Path) -> str:
    from recognition.crypto import generate_master_key

    return _made_once(path, lambda: generate_master_key("local1"))


def local_secret_key(path: Path) -> str:
    """A random SECRET_KEY made on first start and kept beside the database (mode 0600)."""
    return _made_once(path, lambda: secrets.token_urlsafe(50))


def _made_once(path: Path, make: Callable[[], str]) -> str:
    """The secret in `path`, made on first start (mode 0600). The web server and the worker start
    together: each writes a private file and links it into place, so the first link wins whole and
    the other reads the winner's, never a half-written file."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
