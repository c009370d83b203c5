"""What sharing remembers of a selfie it does not keep: its SHA-256, so that a "forget me" check
can ask for a different, fresh one (sharing.services.removals.removal_verify)."""
import hashlib


def upload_sha256(upload) -> str:
    """SHA-256 of an uploaded file, read in chunks; the file is left at its start."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
