"""Persistent per-install secrets for the embedded default (production sets them in the
environment): the master key that wraps event data keys, and Django's SECRET_KEY."""
import os
import secrets
from pathlib import Path


def local_master_keys(path: Path) -> str:
    if not path.exists():
        from recognition.crypto import generate_master_key

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(generate_master_key("local1"))
    return path.read_text().strip()


def local_secret_key(path: Path) -> str:
    """A random SECRET_KEY made on first start and kept beside the database (mode 0600)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # the web server and the worker started together: use the winner's
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
