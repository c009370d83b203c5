""""New photos of me": what matching one finished batch against the opted-in guests costs.

    python scripts/bench_notify_match.py                      # 100k faces, 10/100/1000 guests
    python scripts/bench_notify_match.py --faces 20000 --guests 10 100

The real code on a throw-away in-memory SQLite database (scripts/bench_search.py's event: 100k
synthetic encrypted 128-D faces of 1,000 identities). Each guest opted in with a template near one
identity (sealed under the event key). Per run, batches of 8 photos × 4 faces near random identities
are stored as the engine stores them and marked done; `sharing.notify.matching.notify_batch_match`
(the Celery task's work: decrypt the templates, index catch-up, search, pending photos) is timed.
The first batch warms the process's cached index, as a worker that has served the event before.
It prints numbers; it asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.bench_search import DIM, fill_event, p95, setup_django  # noqa: E402


def opt_in_guests(event, centres: np.ndarray, guests: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from sharing.models import NotifySubscription
    from sharing.notify import sealing
    from sharing.services.links import share_link_create

    link = share_link_create(event=event, user=None, base_url="http://bench").link
    NotifySubscription.objects.filter(event=event).delete()
    rows = []
    for k in range(guests):
        uid = uuid.uuid4()
        rows.append(NotifySubscription(
            uid=uid, studio_id=event.studio_id, event=event, link=link, medium="email",
            address_ciphertext=sealing.address_seal(event=event, uid=str(uid), address=f"g{k}@bench.example"),
            template_ciphertext=sealing.template_seal(event=event, uid=str(uid), embedding=centres[k % len(centres)]),
            embedder_name="sface", embedder_version="bench", consent_version="bench", ip_hash="x", base_url="http://b",
            expires_at=timezone.now() + timedelta(days=30)))
    NotifySubscription.objects.bulk_create(rows)


def store_batch(event, centres: np.ndarray, rng, photos: int = 8, faces: int = 4) -> list[int]:
    from types import SimpleNamespace

    from events.models import Photo, PhotoState
    from recognition.ml.pipeline import DetectedFace
    from recognition.services.faces import photo_faces_replace

    names = [uuid.uuid4().hex for _ in range(photos)]
    created = Photo.objects.bulk_create([
        Photo(studio_id=event.studio_id, event=event, original_filename=f"{n}.jpg", original_key=f"bench/{n}.jpg", size=1,
              sha256=n.ljust(64, "0"), content_type="image/jpeg", width=4000, height=3000, state=PhotoState.PROCESSING,
              preview_key=f"bench/{n}-p.jpg") for n in names])
    embedder = SimpleNamespace(name="sface", version="bench", dim=DIM)
    for photo in created:
        vectors = centres[rng.integers(0, len(centres), faces)] + 0.08 * rng.standard_normal((faces, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        detected = [DetectedFace(box=(0, 0, 100, 100), probability=0.99, landmarks=np.zeros((5, 2)), embedding=v, usable=True)
                    for v in vectors]
        photo_faces_replace(photo=Photo.objects.get(id=photo.id), faces=detected, embedder=embedder)
    ids = [photo.id for photo in created]
    Photo.objects.filter(id__in=ids).update(state=PhotoState.DONE)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, default=100_000)
    parser.add_argument("--guests", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="print a profile of one batch per guest count")
    args = parser.parse_args()
    setup_django()
    import torch

    torch.set_num_threads(2)
    from events.hooks import photos_finished
    from sharing.notify.hook import photos_finished_queue_match
    from sharing.notify.matching import notify_batch_match

    # Timed here, not also run by the batch's own notice (eager tasks in these settings).
    photos_finished._subscribers.remove(photos_finished_queue_match)

    event, centres, _ = fill_event(args.faces)
    rng = np.random.default_rng(5)
    print(f"{args.faces} faces; batches of 8 photos x 4 faces; notify_batch_match per batch (ms)")
    print(f"{'guests opted in':<18}{'p50':>10}{'p95':>10}{'max':>10}{'due':>8}")
    for guests in args.guests:
        opt_in_guests(event, centres, guests)
        notify_batch_match(photo_ids=store_batch(event, centres, rng))  # warm: templates' event key, index
        times, due = [], 0
        if args.profile:
            import cProfile
            import pstats

            ids = store_batch(event, centres, rng)
            profile = cProfile.Profile()
            profile.runcall(notify_batch_match, photo_ids=ids)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        for _ in range(args.batches):
            ids = store_batch(event, centres, rng)
            started = time.perf_counter()
            due += len(notify_batch_match(photo_ids=ids))
            times.append((time.perf_counter() - started) * 1000)
        print(f"{guests:<18}{statistics.median(times):>10.1f}{p95(times):>10.1f}{max(times):>10.1f}{due:>8}")


if __name__ == "__main__":
    main()
