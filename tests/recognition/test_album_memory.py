"""A big album streams through a bounded buffer (set VISAGE_ALBUM_TEST_MB=2048 for the 2 GB check)."""
import os
import re
import uuid

import pytest
from django.core.files.base import File

from events.models import Photo, PhotoState
from events.services import event_create
from core.storage import object_storage, original_key
from recognition.models import Face, Person

ALBUM_MB = int(os.environ.get("VISAGE_ALBUM_TEST_MB", "600"))
FILE_MB = 100


def _rss_kib(field: str) -> int:
    return int(re.search(rf"{field}:\s+(\d+)", open("/proc/self/status").read()).group(1))


@pytest.fixture
def big_person(studio_a, alice, tmp_path):
    """A person whose photos are ALBUM_MB of stored originals (random bytes: incompressible)."""
    event = event_create(studio=studio_a, user=alice, name="Big album")
    person = Person.objects.create(studio=studio_a, event=event, name="Big")
    chunk = os.urandom(1024 * 1024)
    source = tmp_path / "blob.jpg"
    with open(source, "wb") as fh:
        for _ in range(FILE_MB):
            fh.write(chunk)
    for _ in range(-(-ALBUM_MB // FILE_MB)):  # at least ALBUM_MB
        key = original_key(studio_id=studio_a.id, event_id=event.id, filename="same-name.jpg")
        with open(source, "rb") as fh:
            object_storage().save(key, File(fh))
        photo = Photo.objects.create(
            studio=studio_a, event=event, original_filename="same-name.jpg", original_key=key, size=FILE_MB << 20,
            sha256=uuid.uuid4().hex * 2, content_type="image/jpeg", width=1, height=1, state=PhotoState.DONE,
        )
        Face.objects.create(
            studio=studio_a, event=event, photo=photo, person=person, x1=0, y1=0, x2=1, y2=1, probability=1,
            landmarks=[], embedding_ciphertext=b"", embedder_name="sface", embedder_version="t", embedder_dim=128,
            usable=False, blur=0,
        )
    return person


@pytest.mark.slow
def test_big_album_zip_streams_in_bounded_memory(big_person, as_alice, monkeypatch):
    person = big_person
    monkeypatch.setattr("recognition.albums.faces_index_jpeg", lambda person: None)  # the 1×1 fakes have no face
    response = as_alice.get(f"/api/v1/people/{person.id}/album.zip")
    open("/proc/self/clear_refs", "w").write("5")  # reset the peak-RSS mark (Linux)
    baseline, total = _rss_kib("VmRSS"), 0
    for chunk in response.streaming_content:
        total += len(chunk)
    growth_mib = (_rss_kib("VmHWM") - baseline) / 1024
    print(f"\nalbum of {ALBUM_MB} MiB: zip {total / 2**20:.0f} MiB streamed, peak RSS growth {growth_mib:.1f} MiB")
    assert total > ALBUM_MB << 20
    assert growth_mib < 64
