"""The event page's live view over the API: photos from every source with their source, counts per
state, failures with reasons, refused files (GET …/live/, GET …/upload-rejections/), a cursor that
makes an unchanged poll cheap, and another studio's event a 404."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.models import PhotoState
from tests.factories import FACES_DIR

OBAMA = FACES_DIR / "portraits" / "obama.jpg"
BIDEN = FACES_DIR / "portraits" / "biden.jpg"


@pytest.fixture
def event_id(as_alice):
    return as_alice.post("/api/v1/events/", {"name": "Gala"}).json()["id"]



def real(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def tiny_png() -> SimpleUploadedFile:
    """A valid 12×12 image: the upload accepts it, the engine cannot (under its 20 px minimum)."""
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (90, 90, 90)).save(out, "PNG")
    return SimpleUploadedFile("tiny.png", out.getvalue())


def live(client, event_id, since=None):
    response = client.get(f"/api/v1/events/{event_id}/live/", {"since": since} if since else {})
    assert response.status_code == 200, response.content
    return response.json()


def test_live_view_shows_sources_counts_failures_and_refusals(as_alice, event_id, upload, face_pipeline):
    assert live(as_alice, event_id)["counts"] == {"total": 0, "queued": 0, "processing": 0, "done": 0,
                                                  "failed": 0, "rejected": 0}
    upload(as_alice, event_id, real(OBAMA), SimpleUploadedFile("notes.txt", b"not a photo at all"))
    upload(as_alice, event_id, real(BIDEN), tiny_png(), HTTP_X_UPLOAD_SOURCE="hot-folder")

    body = live(as_alice, event_id)
    assert body["changed"] is True
    assert body["counts"] == {"total": 3, "queued": 0, "processing": 0, "done": 2, "failed": 1, "rejected": 1}
    assert body["sources"] == {"web": 0, "api": 1, "ftp": 0, "hot_folder": 2, "import": 0}
    arrivals = [(p["original_filename"], p["source"], p["state"]) for p in body["arrivals"]]
    assert arrivals == [("tiny.png", "hot_folder", "failed"), ("biden.jpg", "hot_folder", "done"),
                        ("obama.jpg", "api", "done")]  # newest first
    assert body["arrivals"][1]["thumbnail_url"]
    (failure,) = body["failures"]
    assert failure["original_filename"] == "tiny.png" and "too small" in failure["failure_reason"]
    (refused,) = body["rejections"]
    assert refused["filename"] == "notes.txt" and refused["source"] == "api"
    assert "not an image" in refused["reason"] and refused["created_at"]


def test_an_unchanged_poll_answers_only_the_cursor(as_alice, event_id, upload, face_pipeline,
                                                   django_assert_max_num_queries):
    first = live(as_alice, event_id)
    with django_assert_max_num_queries(8):  # auth, event access, two aggregates: no lists
        same = live(as_alice, event_id, since=first["cursor"])
    assert same == {"cursor": first["cursor"], "changed": False}

    upload(as_alice, event_id, SimpleUploadedFile("scan.pdf", b"%PDF-1.4 not an image"))
    refused = live(as_alice, event_id, since=first["cursor"])
    assert refused["changed"] and refused["cursor"] != first["cursor"]
    assert [r["filename"] for r in refused["rejections"]] == ["scan.pdf"]

    upload(as_alice, event_id, real(OBAMA))
    arrived = live(as_alice, event_id, since=refused["cursor"])
    assert arrived["changed"] and [p["original_filename"] for p in arrived["arrivals"]] == ["obama.jpg"]
    assert arrived["arrivals"][0]["state"] == PhotoState.DONE
    assert live(as_alice, event_id, since=arrived["cursor"])["changed"] is False


def test_upload_rejections_are_paginated_newest_first_and_filter_by_source(as_alice, event_id, upload):
    for number in range(3):
        upload(as_alice, event_id, SimpleUploadedFile(f"bad{number}.txt", b"nope"))
    upload(as_alice, event_id, SimpleUploadedFile("bad-hot.txt", b"nope"), HTTP_X_UPLOAD_SOURCE="hot-folder")
    page = as_alice.get(f"/api/v1/events/{event_id}/upload-rejections/").json()
    assert page["count"] == 4
    assert [r["filename"] for r in page["results"]] == ["bad-hot.txt", "bad2.txt", "bad1.txt", "bad0.txt"]
    hot = as_alice.get(f"/api/v1/events/{event_id}/upload-rejections/", {"source": "hot_folder"}).json()
    assert [r["filename"] for r in hot["results"]] == ["bad-hot.txt"]
    wrong = as_alice.get(f"/api/v1/events/{event_id}/upload-rejections/", {"source": "fax"})
    assert wrong.status_code == 400 and "source" in wrong.json()["error"]["details"]


def test_another_studios_event_is_a_404_and_a_viewer_may_watch(as_alice, as_charlie, as_vera, event_id, upload):
    upload(as_alice, event_id, SimpleUploadedFile("secret-name.txt", b"nope"))
    for path in (f"/api/v1/events/{event_id}/live/", f"/api/v1/events/{event_id}/upload-rejections/"):
        response = as_charlie.get(path)
        assert response.status_code == 404 and b"secret-name" not in response.content
        assert as_vera.get(path).status_code == 200
    # Charlie's own event shows none of A's refusals.
    own = as_charlie.post("/api/v1/events/", {"name": "B's party"}).json()["id"]
    assert as_charlie.get(f"/api/v1/events/{own}/upload-rejections/").json()["count"] == 0
    assert live(as_charlie, own)["rejections"] == []


def _bulk_photos(event_id: int, studio_id: int, count: int, start: int = 0) -> None:
    from events.models import Photo, PhotoSource

    states = [PhotoState.DONE] * 8 + [PhotoState.QUEUED, PhotoState.FAILED]
    sources = [PhotoSource.FTP, PhotoSource.WEB, PhotoSource.HOT_FOLDER]
    Photo.objects.bulk_create([
        Photo(studio_id=studio_id, event_id=event_id, original_filename=f"DSC_{n:05}.JPG", original_key=f"k/{event_id}/{n}",
              size=1, sha256=f"{event_id:08}{n:056}", content_type="image/jpeg", width=6000, height=4000,
              state=states[n % 10], source=sources[n % 3], failure_reason="damaged" if n % 10 == 9 else "")
        for n in range(start, start + count)])


def test_a_poll_costs_the_same_queries_at_3000_photos(as_alice, event_id, studio_a):
    """What an open page costs: the same few queries whatever the event's size, unchanged or not."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def costs():
        # Counted at once: the next request's request_started signal empties the query log.
        with CaptureQueriesContext(connection) as changed:
            body = live(as_alice, event_id)
        changed = len(changed)
        with CaptureQueriesContext(connection) as unchanged:
            live(as_alice, event_id, since=body["cursor"])
        unchanged = len(unchanged)
        seconds = []
        for _ in range(5):
            started = time.perf_counter()
            live(as_alice, event_id, since=body["cursor"])
            seconds.append(time.perf_counter() - started)
        return changed, unchanged, sorted(seconds)[2], body

    _bulk_photos(event_id, studio_a.id, 10)
    small = costs()
    _bulk_photos(event_id, studio_a.id, 2990, start=10)
    big = costs()
    assert big[:2] == small[:2] and 0 < big[1] <= 6, f"queries grew with the event: {small[:2]} → {big[:2]}"
    body = big[3]
    assert body["counts"]["total"] == 3000 and body["counts"]["failed"] == 300 and body["counts"]["queued"] == 300
    assert len(body["arrivals"]) == 12 and body["arrivals"][0]["original_filename"] == "DSC_02999.JPG"
    assert body["sources"] == {"web": 1000, "api": 0, "ftp": 1000, "hot_folder": 1000, "import": 0}
    print(f"\nlive poll at 3,000 photos: {big[0]} queries changed, {big[1]} unchanged, "
          f"unchanged poll {big[2] * 1000:.1f} ms (median of 5; {small[2] * 1000:.1f} ms at 10 photos)")
