"""A persistent master key for the embedded default (production must set VISAGE_MASTER_KEYS)."""
import os
from pathlib import Path


def local_master_keys(path: Path) -> str:
    if not path.exists():
        from recognition.crypto import generate_master_key

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(generate_master_key("local1"))
    return path.read_text().strip()
