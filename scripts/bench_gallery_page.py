"""The studio gallery at a real event's size: 3,000 photos, ~7,500 faces, 2,000 people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gallery python scripts/bench_gallery_page.py
    python scripts/bench_gallery_page.py --photos 500 --requests 20     # a quick run (SQLite without DATABASE_URL)

Builds its own database (Django's test database next to DATABASE_URL's, `test_<name>`, dropped at the
end), bulk-inserts one event's photos (capture times for 90 %, 5 % hidden, 1 % failed with a reason)
with 0–4 faces each assigned to people (a few people in many photos, most in one or two), then times
requests through Django's full stack in-process (after ANALYZE, as autovacuum would have run) (Django's test client: middleware, session auth, view,
serializer; no network): the event page's HTML and `GET /api/v1/events/{id}/photos/` with the
default sort (first, middle and last page), and with filters. Server time p50/p95 (ms) and payload
bytes per request kind. Prints JSON; asserts nothing. Target: p95 < 300 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.test")


def setup_django():
    import django
    from django.db import connection
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    return connection


def fill_event(photos: int, people: int, seed: int = 19):
    """One studio, one event, `photos` photos with faces on `people` people, by bulk inserts."""
    from core.tenancy.services import studio_create
    from events.models import Photo, PhotoState
    from events.services import event_create
    from recognition.models import Face, Person

    rng = random.Random(seed)
    studio, owner = studio_create(name="Bench", owner_email="bench@example.com", owner_password="bench-pw-123")
    event = event_create(studio=studio, user=owner, name="Bench wedding")
    start = datetime(2026, 6, 20, 12, tzinfo=timezone.utc)
    rows = []
    for i in range(photos):
        failed = rng.random() < 0.01
        rows.append(Photo(
            studio=studio, event=event, original_filename=f"DSC_{i:05d}-ceremony-and-reception.jpg",
            original_key=f"{studio.id}/events/{event.id}/originals/{uuid.uuid4()}.jpg", size=8_000_000 + i,
            sha256=f"{i:064x}", content_type="image/jpeg", width=4000 if i % 3 else 2667, height=2667 if i % 3 else 4000,
            taken_at=None if rng.random() < 0.1 else start + timedelta(seconds=rng.randrange(10 * 3600)),
            state=PhotoState.FAILED if failed else PhotoState.DONE,
            failure_reason="The file ends early (truncated JPEG)." if failed else "",
            preview_key="" if failed else f"{studio.id}/events/{event.id}/derivatives/{i}/preview.jpg",
            thumbnail_key="" if failed else f"{studio.id}/events/{event.id}/derivatives/{i}/thumbnail.jpg",
            hidden=rng.random() < 0.05))
    stored = Photo.objects.bulk_create(rows, batch_size=1000)
    persons = Person.objects.bulk_create([Person(studio=studio, event=event, name=f"Guest {p}" if p < 40 else "")
                                          for p in range(people)], batch_size=1000)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(people)]  # a few people in many photos
    faces = []
    for photo in stored:
        if photo.state != PhotoState.DONE:
            continue
        for person in rng.choices(persons, weights, k=rng.choice([0, 1, 2, 3, 4, 4])):
            x, y = rng.uniform(0, photo.width - 300), rng.uniform(0, photo.height - 400)
            faces.append(Face(studio=studio, event=event, photo=photo, x1=x, y1=y, x2=x + 250, y2=y + 320,
                              probability=0.99, landmarks=[[x + 100, y + 120]] * 5, embedding_ciphertext=b"\0" * 32,
                              embedder_name="sface", embedder_version="bench", embedder_dim=128, usable=True,
                              blur=150.0, person=person))
    Face.objects.bulk_create(faces, batch_size=2000)
    return event, owner, persons[0], len(faces)


def timed(client, url: str, n: int) -> dict:
    client.get(url)  # warm: first-request costs (URL resolver, templates) are not a page view
    times, size = [], 0
    for _ in range(n):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    ordered = sorted(times)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=3000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    connection = setup_django()
    from django.test import Client

    try:
        began = time.perf_counter()
        event, owner, busiest, face_count = fill_event(args.photos, args.people)
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk load: without statistics the planner runs the
            # person and no-faces filters' EXISTS as nested scans (3 s instead of 20 ms, measured).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        built = time.perf_counter() - began
        client = Client()
        client.force_login(owner)
        api = f"/api/v1/events/{event.id}/photos/"
        last = (args.photos + 49) // 50
        urls = {
            "page_html": f"/events/{event.id}/",
            "api_capture_sort_page_1": api,
            f"api_capture_sort_page_{last // 2}": f"{api}?page={last // 2}",
            f"api_capture_sort_page_{last}": f"{api}?page={last}",
            "api_upload_sort_page_1": f"{api}?sort=upload",
            "api_filter_visible": f"{api}?hidden=false",
            "api_filter_person": f"{api}?person={busiest.id}",
            "api_filter_no_faces": f"{api}?faces=none",
            "api_filter_failed": f"{api}?state=failed",
            "api_page_size_200": f"{api}?page_size=200",
        }
        results = {name: timed(client, url, args.requests) for name, url in urls.items()}
        print(json.dumps({
            "database": connection.vendor, "photos": args.photos, "faces": face_count, "people": args.people,
            "requests_each": args.requests, "build_seconds": round(built, 1), "results": results,
            "worst_p95_ms": max(r["p95_ms"] for r in results.values()),
        }, indent=2))
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
