"""Guest search speed at 100k faces: the cached decrypted matrix vs a naive decrypt-per-request.

    python scripts/bench_search.py                    # 100k faces, 200 searches, 30 selfie requests
    python scripts/bench_search.py --faces 20000 --requests 10

Everything runs through the real code on a throw-away in-memory SQLite database: 100k
synthetic 128-D unit vectors (1,000 identities, same-identity cosine ~0.55) are encrypted once
with recognition.crypto under the event's data key and stored as Face rows.

* search: recognition.search.event_search with the event's matrix already decrypted and cached
  in this process (what every request after the first one does).
* naive: the same call after recognition.index.index_invalidate, so every request reads the
  ciphertexts from the database and decrypts all of them before searching.
* full selfie request: POST /api/v1/guest/{token}/search through Django's test client with real
  selfies (decode, detect, align, embed, search, consent and session rows, JSON), cached or naive.
It prints numbers; it asserts nothing.
"""
from __future__ import annotations

import argparse
import io
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
    from visage.tenancy.services import studio_create

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
    from recognition.index import event_index
    from recognition.index_version import index_invalidate
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
        index_invalidate(event_id=event.id)
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

    from recognition.index_version import index_invalidate
    from recognition.ml.pipeline import get_pipeline
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
        index_invalidate(event_id=event.id)
        post(images[0][1])

    return per_image, timed(naive, max(3, requests // 6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    import torch

    started = time.perf_counter()
    event, centres, encrypt_s = fill_event(args.faces)
    print(f"{args.faces:,} faces ({DIM}-D) on {args.faces // FACES_PER_PHOTO:,} photos; "
          f"encrypted in {encrypt_s:.1f} s, stored in {time.perf_counter() - started - encrypt_s:.1f} s; "
          f"{os.cpu_count()} CPU cores, torch threads {torch.get_num_threads()}")
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
