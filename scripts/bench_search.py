"""Guest search speed at 100k faces: the cached decrypted matrix vs a naive decrypt-per-request.

    python scripts/bench_search.py                    # 100k faces, 200 searches, 30 selfie requests
    python scripts/bench_search.py --faces 20000 --requests 10
    python scripts/bench_search.py --during-ingest    # searches while photos stream in (JSON)

Everything runs through the real code on a throw-away in-memory SQLite database: 100k
synthetic 128-D unit vectors (1,000 identities, same-identity cosine ~0.55) are encrypted once
with recognition.crypto under the event's data key and stored as Face rows.

* search: recognition.search.event_search with the event's matrix already decrypted and cached
  in this process (what every request after the first one does).
* naive: the same call with the process's cached copy dropped, so every request reads the
  ciphertexts from the database and decrypts all of them before searching.
* full selfie request: POST /api/v1/guest/{token}/search through Django's test client with real
  selfies (decode, detect, align, embed, search, consent and session rows, JSON), cached or naive.
* --during-ingest: every 100 ms a batch of 8 photos × 5 faces is stored through
  recognition.services.faces.photo_faces_replace (encrypt, bulk insert, version bump on commit),
  and searches run in between: with the incremental index (new faces appended); with every
  batch reported through index_invalidate instead (ids re-read, nothing decrypted again); and
  with the old behaviour (the whole matrix decrypted again after every change). Batches and
  searches alternate in one thread, as a web process sees workers' commits; only searches are timed.
It prints numbers; it asserts nothing.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.test")
FACES = ROOT.parent / "shared" / "data" / "faces"
DIM = 128
FACES_PER_PHOTO = 4


def setup_django():
    import django
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    settings.VISAGE_GUEST_SEARCHES_PER_CLIENT = settings.VISAGE_GUEST_SEARCHES_PER_LINK = (10**9, 60)
    connection.creation.create_test_db(verbosity=0)


def synthetic_vectors(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, identity centres): n unit vectors around n/100 identities."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, n // 100), DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    # sigma 0.08 per dimension: cos(face, centre) ~ 1/sqrt(1 + 128 * 0.0064) ~ 0.74, face-face ~ 0.55
    vectors = centres[rng.integers(0, len(centres), n)] + 0.08 * rng.standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), centres


def fill_event(n: int):
    """A studio, an event and n encrypted faces on n/4 photos → (event, centres, seconds to encrypt)."""
    import uuid

    from events.models import Photo, PhotoState
    from events.services import event_create
    from recognition import crypto
    from recognition.models import Face
    from recognition.services.keys import event_data_key
    from core.tenancy.services import studio_create

    studio, owner = studio_create(name="Bench", owner_email="bench@example.com", owner_password="bench-pw-123")
    event = event_create(studio=studio, user=owner, name="Bench wedding")
    photos = Photo.objects.bulk_create([
        Photo(studio=studio, event=event, original_filename=f"p{i}.jpg", original_key=f"bench/{i}.jpg", size=1, sha256=f"{i:064d}",
              content_type="image/jpeg", width=4000, height=3000, state=PhotoState.DONE, preview_key=f"bench/{i}-p.jpg")
        for i in range(n // FACES_PER_PHOTO)
    ], batch_size=2000)
    vectors, centres = synthetic_vectors(n)
    key = event_data_key(event=event)
    started = time.perf_counter()
    uids = [uuid.uuid4() for _ in range(n)]
    blobs = [crypto.encrypt_embedding(v, data_key=key, event_id=event.id, face_id=str(u)) for v, u in zip(vectors, uids)]
    encrypt_s = time.perf_counter() - started
    Face.objects.bulk_create([
        Face(studio=studio, event=event, photo=photos[i // FACES_PER_PHOTO], uid=uids[i], x1=0, y1=0, x2=100, y2=100,
             probability=0.99, landmarks=[], embedding_ciphertext=blobs[i], embedder_name="sface", embedder_version="bench",
             embedder_dim=DIM, usable=True, blur=100.0)
        for i in range(n)
    ], batch_size=2000)
    return event, centres, encrypt_s


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def row(name: str, values: list[float]) -> str:
    return f"{name:<44}{statistics.median(values):>10.1f}{p95(values):>10.1f}{max(values):>10.1f}{len(values):>6}"


def bench_search(event, centres, repeats: int) -> tuple[list[float], list[float], int]:
    from recognition.index import _local, event_index
    from recognition.search import event_search

    rng = np.random.default_rng(11)
    queries = centres[rng.integers(0, len(centres), repeats)] + 0.08 * rng.standard_normal((repeats, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    event_index(event=event)  # warm the per-process cache once
    hits = [len(event_search(event=event, embedding=q)) for q in queries[:20]]
    it = iter(queries)
    cached = timed(lambda: event_search(event=event, embedding=next(it)), repeats)
    it = iter(queries[: max(5, repeats // 20)])

    def naive():
        _local.pop(event.id, None)  # as a process with nothing cached
        event_search(event=event, embedding=next(it))

    return cached, timed(naive, max(5, repeats // 20)), int(statistics.median(hits))


def selfies() -> list[tuple[str, bytes]]:
    """Real selfies, and a 12-megapixel phone-camera JPEG made from a portrait."""
    from PIL import Image

    phone = io.BytesIO()
    Image.open(FACES / "portraits" / "obama.jpg").convert("RGB").resize((3024, 4032)).save(phone, "JPEG", quality=90)
    files = ["portraits/obama.jpg", "portraits/biden.jpg", "bbt/people/amy/amy1.png", "bbt/people/raj/raj2.png"]
    return [(name, (FACES / name).read_bytes()) for name in files] + [("12 MP phone JPEG", phone.getvalue())]


def bench_requests(event, requests: int) -> tuple[dict[str, list[float]], list[float]]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from recognition.index import _local
    from recognition.conf import face_pipeline as get_pipeline
    from sharing.services.links import share_link_create

    token = share_link_create(event=event, user=None, base_url="http://bench").token
    get_pipeline()  # models load once per process, before any request
    images = selfies()

    def post(data: bytes) -> None:
        response = Client(REMOTE_ADDR="203.0.113.1").post(
            f"/api/v1/guest/{token}/search", {"consent": "true", "selfie": SimpleUploadedFile("selfie.jpg", data)})
        assert response.status_code == 200, response.content

    post(images[0][1])  # warm-up: first inference allocates
    per_image = {name: timed(lambda: post(data), max(1, requests // len(images))) for name, data in images}

    def naive():
        _local.pop(event.id, None)  # as a process with nothing cached
        post(images[0][1])

    return per_image, timed(naive, max(3, requests // 6))


def ingest_batch(event, rng, photos: int = 8, faces: int = 5) -> None:
    """Store `photos` new photos of `faces` faces each, as the ingest engine does."""
    import uuid
    from types import SimpleNamespace

    from events.models import Photo, PhotoState
    from recognition.ml.pipeline import DetectedFace
    from recognition.services.faces import photo_faces_replace

    names = [uuid.uuid4().hex for _ in range(photos)]
    created = Photo.objects.bulk_create([
        Photo(studio_id=event.studio_id, event=event, original_filename=f"{n}.jpg", original_key=f"bench/{n}.jpg", size=1,
              sha256=n.ljust(64, "0"), content_type="image/jpeg", width=4000, height=3000, state=PhotoState.PROCESSING)
        for n in names])
    embedder = SimpleNamespace(name="sface", version="bench", dim=DIM)  # the embedder fill_event recorded
    for photo in created:
        vectors = rng.standard_normal((faces, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        detected = [DetectedFace(box=(0, 0, 100, 100), probability=0.99, landmarks=np.zeros((5, 2)), embedding=v, usable=True)
                    for v in vectors]
        photo_faces_replace(photo=Photo.objects.get(id=photo.id), faces=detected, embedder=embedder)


def bench_during_ingest(event, centres, seconds: float, every_s: float = 0.1) -> dict:
    """Search p50/p95/max while batches arrive every `every_s`; batch time is not search time."""
    from recognition.search import event_search

    rng = np.random.default_rng(13)
    event_search(event=event, embedding=centres[0])  # cached before the stream starts
    times, batches, deadline = [], 0, time.perf_counter() + seconds
    next_batch = time.perf_counter()
    while time.perf_counter() < deadline:
        if time.perf_counter() >= next_batch:  # a batch, then at least one search, even if batches lag
            ingest_batch(event, rng)
            batches += 1
            next_batch += every_s
        query = centres[rng.integers(0, len(centres))]
        started = time.perf_counter()
        event_search(event=event, embedding=query)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1), "max_ms": round(max(times), 1),
            "searches": len(times), "batches": batches, "faces_added": batches * 40}


def during_ingest(event, centres, seconds: float) -> dict:
    from recognition import index
    from recognition.index_version import index_faces_added
    from recognition.models import Face

    from recognition.index_version import index_invalidate
    from recognition.services import faces

    incremental = bench_during_ingest(event, centres, seconds)
    # Writers that report stored faces as an unspecified change: cached copies re-read the ids.
    faces.index_faces_added = lambda *, event_id, face_ids: index_invalidate(event_id=event_id)
    try:
        reread = bench_during_ingest(event, centres, seconds)
    finally:
        faces.index_faces_added = index_faces_added
    refreshed = index._refreshed
    index._refreshed = lambda event, state, cached: index._build(event, state)  # the old behaviour
    try:
        rebuild = bench_during_ingest(event, centres, seconds)
    finally:
        index._refreshed = refreshed
    return {"faces_at_end": Face.objects.filter(event=event).count(), "batch": "8 photos x 5 faces every 100 ms",
            "incremental": incremental, "reported_as_invalidate": reread, "full_rebuild_on_every_change": rebuild}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--during-ingest", action="store_true", help="search while faces stream in; print JSON")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each --during-ingest phase")
    args = parser.parse_args()
    setup_django()
    import torch

    started = time.perf_counter()
    event, centres, encrypt_s = fill_event(args.faces)
    print(f"{args.faces:,} faces ({DIM}-D) on {args.faces // FACES_PER_PHOTO:,} photos; "
          f"encrypted in {encrypt_s:.1f} s, stored in {time.perf_counter() - started - encrypt_s:.1f} s; "
          f"{os.cpu_count()} CPU cores, torch threads {torch.get_num_threads()}")
    if args.during_ingest:
        print(json.dumps(during_ingest(event, centres, args.seconds), indent=2))
        return
    cached, naive, hits = bench_search(event, centres, args.searches)
    per_image, naive_requests = bench_requests(event, args.requests)
    all_requests = [t for values in per_image.values() for t in values]
    print(f"(a query matches ~{hits} photos)\n")
    print(f"{'':<44}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'n':>6}")
    print(row("search, decrypted matrix cached", cached))
    print(row("search, naive (fetch + decrypt every time)", naive))
    print(row("full selfie request, cached", all_requests))
    print(row("full selfie request, naive", naive_requests))
    for name, values in per_image.items():
        print(row(f"  full request: {name}", values))


if __name__ == "__main__":
    main()
