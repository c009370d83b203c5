import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from events.models import Photo
from core.storage import object_storage
from tests.factories import jpeg_bytes


@pytest.fixture
def photos(as_alice):
    event_id = as_alice.post("/api/v1/events/", {"name": "E"}).json()["id"]
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(color=(i * 40, 0, 0))) for i in range(3)]
    as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": files}, format="multipart")
    return list(Photo.objects.order_by("id"))


def test_all_good(photos, capsys):
    call_command("verify_originals")
    assert "Checked 3 originals: 3 OK, 0 with problems." in capsys.readouterr().out


def test_reports_changed_and_missing(photos, capsys):
    storage = object_storage()
    with open(storage.path(photos[0].original_key), "r+b") as fh:
        fh.seek(10)
        fh.write(b"\xff")
    storage.delete(photos[1].original_key)
    with pytest.raises(CommandError, match="2 original"):
        call_command("verify_originals", "--event", str(photos[0].event_id))
    out = capsys.readouterr().out
    assert f"MISMATCH photo {photos[0].id}" in out and f"MISSING photo {photos[1].id}" in out
    assert "1 OK, 2 with problems" in out
