"""The People page and the people API at a real event's scale: server time and payload.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/visage python scripts/bench_people_page.py
    python scripts/bench_people_page.py --photos 3000 --people 2000 --repeats 60

Builds, with bulk inserts in a throw-away database of its own (Django's test database beside the one
DATABASE_URL names; dropped at the end), a studio, an event of --photos photos and --people people
shaped like a wedding: 20 named people in 5 % of the photos each, 10 % of the people in 2–12 photos,
the rest seen once, plus unassigned faces. Faces carry real encrypted 128-D embeddings (each person's
faces near a random direction of their own), since the People page's script calls the merge
suggestions endpoint on every load and that reads them. Then it times whole requests through Django's test client (middleware, session, view,
template or serializer; no network) as a signed-in owner, with persistent database connections as in
production: p50 / p95 / max in ms, the response size, and the number of SQL queries. Target: p95 under 300 ms. It prints numbers; it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.test")
NAMED = 20


def setup_django() -> str:
    """Creates the throw-away database; returns the name to restore when it is dropped."""
    import django
    from django.conf import settings
    from django.db import connection

    django.setup()
    # Not setup_test_environment(): its instrumented template rendering is not what a server runs.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_people_{name}"[:63]  # never pytest's test database
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return name


def teardown_django(name: str) -> None:
    from django.db import connection

    connection.creation.destroy_test_db(name, verbosity=0)


def fill_event(photos: int, people: int, seed: int = 19):
    """(owner, event, faces): the event built with bulk inserts."""
    from django.db import connection

    from events.models import Photo, PhotoState
    from events.services import event_create
    from recognition.models import Face, Person
    from core.tenancy.services import studio_create

    rng = random.Random(seed)
    studio, owner = studio_create(name="Bench", owner_email="bench@example.com", owner_password="bench-pw-123")
    event = event_create(studio=studio, user=owner, name="Bench wedding")
    photo_rows = Photo.objects.bulk_create([
        Photo(studio=studio, event=event, original_filename=f"DSC_{i:05d}.jpg", original_key=f"bench/{i}.jpg", size=1,
              sha256=f"{i:064d}", content_type="image/jpeg", width=6000, height=4000, state=PhotoState.DONE,
              preview_key=f"bench/{i}-p.jpg")
        for i in range(photos)], batch_size=2000)
    first_names = ["Ana", "Ben", "Carla", "Dev", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemal", "Lena",
                   "Mateo", "Nora", "Omar", "Paula", "Quinn", "Rosa", "Sami", "Tilde"]
    person_rows = Person.objects.bulk_create([
        Person(studio=studio, event=event, name=first_names[i] if i < NAMED else "", curated=i < NAMED,
               hidden=rng.random() < 0.02)
        for i in range(people)], batch_size=2000)
    mid = NAMED + people // 10
    faces = []
    for k, person in enumerate(person_rows):
        count = max(1, photos // 20) if k < NAMED else rng.randint(2, 12) if k < mid else 1
        for photo in rng.sample(photo_rows, min(count, photos)):
            faces.append((photo, person))
    faces += [(rng.choice(photo_rows), None) for _ in range(photos // 6)]  # faces nobody is, yet
    rows = Face.objects.bulk_create([
        Face(studio=studio, event=event, photo=photo, person=person, x1=100, y1=100, x2=300, y2=320, probability=0.99,
             landmarks=[], embedding_ciphertext=b"\0" * 32, embedder_name="sface", embedder_version="bench",
             embedder_dim=128, usable=True, blur=100.0 + i % 50)
        for i, (photo, person) in enumerate(faces)], batch_size=2000)
    _seal_embeddings(event, rows, rng)
    covers = {}
    for face in rows:
        if face.person_id is not None:
            covers.setdefault(face.person_id, face.id)
    for person in person_rows:
        person.cover_face_id = covers.get(person.id)
    Person.objects.bulk_update(person_rows, ["cover_face"], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a bulk load; else the planner guesses 3 people
    return owner, event, len(rows)


def _seal_embeddings(event, faces, rng: random.Random, dim: int = 128) -> None:
    """Unit embeddings near a per-person direction (unassigned faces: random), encrypted as ingest does."""
    import numpy as np

    from recognition.crypto import encrypt_embedding
    from recognition.models import Face
    from recognition.services.keys import event_data_key

    noise = np.random.default_rng(rng.randrange(2**32))
    key = event_data_key(event=event)
    directions: dict[int | None, np.ndarray] = {}
    for face in faces:
        base = directions.setdefault(face.person_id, noise.standard_normal(dim)) if face.person_id else 0.0
        vector = base + 0.6 * noise.standard_normal(dim)
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
        face.embedding_ciphertext = encrypt_embedding(vector, data_key=key, event_id=event.id, face_id=str(face.uid))
    Face.objects.bulk_update(faces, ["embedding_ciphertext"], batch_size=2000)


def measure(client, url: str, repeats: int) -> dict:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
            "max": times[-1], "bytes": len(response.content), "queries": len(queries), "n": repeats,
            "total": response.get("X-Total-Count", "")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=3000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=60)
    args = parser.parse_args()
    name = setup_django()
    try:
        from django.db import connection
        from django.test import Client

        connection.settings_dict["CONN_MAX_AGE"] = 60  # persistent connections, as production runs

        started = time.perf_counter()
        owner, event, faces = fill_event(args.photos, args.people)
        print(f"{args.photos:,} photos, {args.people:,} people, {faces:,} faces built in "
              f"{time.perf_counter() - started:.1f} s on {connection.vendor} ({os.cpu_count()} CPU cores)\n")
        client = Client()
        client.force_login(owner)
        base = f"/events/{event.id}/people/"
        api = f"/api/v1/events/{event.id}/people/"
        cases = [
            ("web: People page, default (main, page 1)", base),
            ("web: search “ana”", f"{base}?q=ana"),
            ("web: seen once, page 10", f"{base}?filter=few&page=10"),
            ("web: all, page 20", f"{base}?filter=all&page=20"),
            ("api: main, limit 60", f"{api}?filter=main&limit=60"),
            ("api: search “ana”, limit 60", f"{api}?q=ana&limit=60"),
            ("api: all, limit 60, offset 1200", f"{api}?filter=all&limit=60&offset=1200"),
            ("api: counts per filter", f"{api}counts/"),
            ("api: everyone, unpaged (as before)", api),
            ("api: merge suggestions (page script)", f"{api}suggestions/"),
        ]
        print(f"{'':<44}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'bytes':>10}{'queries':>9}{'total':>7}")
        for label, url in cases:
            r = measure(client, url, args.repeats)
            print(f"{label:<44}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['max']:>9.1f}{r['bytes']:>10,}{r['queries']:>9}"
                  f"{r['total']:>7}")
    finally:
        teardown_django(name)


if __name__ == "__main__":
    main()
