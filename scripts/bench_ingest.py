"""Ingest throughput: the facenet-pytorch README loop vs the Visage engine, on the same 24 MP photos.

    python scripts/bench_ingest.py                      # 16 photos, naive loop on 4 of them
    python scripts/bench_ingest.py --photos 32 --naive 6 --processes 2

Photos come from scripts/bench_photos.py (6000×4000 composites of LFW people, large portraits and
a back row of 50–120 px faces). Each part runs in its own process (so peak RSS is its own):
* naive: the facenet-pytorch README loop per photo: full decode, ``MTCNN(keep_all=True)`` boxes +
  crops, ``InceptionResnetV1`` (untrained weights; fine for timing) on the crops; torch's default
  threads (it uses every core).
* engine: the real engine (recognition/ingest) on a throw-away SQLite file and filesystem
  storage: photos stored with the upload service, then ``--processes`` worker processes (one torch
  thread each, as ``make run``) claim and process batches; timed from start to the last photo done
  (previews, thumbnails, detection, embedding, encryption, storage: everything but HTTP/Celery).
* single: the single-photo path (``FacePipeline.analyze``) for parity of the embeddings.
Parity: share of the naive loop's faces with short side >= 48 px that the engine finds (IoU >= 0.5),
and cosine between the engine's (batched) and the single-photo embedding of the same face.
Prints JSON; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.bench_photos import build_photos  # noqa: E402

MIN_SIDE = 48


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def part_naive(paths: list[Path]) -> dict:
    from PIL import Image

    from recognition.ml.compat import import_facenet_pytorch

    facenet = import_facenet_pytorch()
    import torch

    mtcnn, resnet = facenet.MTCNN(keep_all=True), facenet.InceptionResnetV1(pretrained=None).eval()
    boxes_by_photo, started = {}, time.perf_counter()
    for path in paths:
        image = Image.open(path).convert("RGB")
        boxes, probs = mtcnn.detect(image)
        crops = mtcnn.extract(image, boxes, None)
        if crops is not None:
            with torch.inference_mode():
                resnet(crops)
        boxes_by_photo[path.name] = [] if boxes is None else [[*box, float(p)] for box, p in zip(boxes.tolist(), probs)]
    seconds = time.perf_counter() - started
    return {"photos": len(paths), "seconds": seconds, "boxes": boxes_by_photo, "peak_rss_mb": peak_rss_mb(),
            "torch_threads": torch.get_num_threads()}


def part_single(paths: list[Path]) -> dict:
    from recognition.ml.pipeline import get_pipeline
    from visage.settings.surface import Surface

    pipeline, found = get_pipeline(Surface().ml_config()), {}
    for path in paths:
        found[path.name] = [{"box": list(face.box), "embedding": face.embedding.tolist()} for face in pipeline.analyze(path)]
    return {"faces": found}


def part_engine_worker(ready: Path, go: Path) -> dict:
    """One worker process: load the models, say ready, wait for go, process until nothing waits."""
    import django

    django.setup()
    from recognition.conf import face_pipeline
    from recognition.ingest.engine import ingest_run

    pipeline = face_pipeline()
    pipeline.analyze(ROOT.parent / "shared" / "data" / "faces" / "portraits" / "obama.jpg")  # warm up
    ready.touch()
    while not go.exists():
        time.sleep(0.01)
    report = ingest_run(budget_s=3600, pipeline=pipeline)
    return {"done": report.done, "failed": report.failed, "batches": report.batches, "peak_rss_mb": peak_rss_mb()}


def run_part(name: str, *args: str, env: dict | None = None, wait: bool = True):
    command = [sys.executable, __file__, "--part", name, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env={**os.environ, **(env or {})}, cwd=ROOT)
    if not wait:
        return process
    out, _ = process.communicate()
    return json.loads(out.decode().strip().splitlines()[-1])


def engine_run(paths: list[Path], processes: int, batch: int) -> dict:
    var = Path(tempfile.mkdtemp(prefix="visage-bench-"))
    env = {"DJANGO_SETTINGS_MODULE": "visage.settings.local", "VISAGE_VAR_DIR": str(var),
           "VISAGE_STORAGE": "filesystem", "VISAGE_MEDIA_ROOT": str(var / "media"),
           "VISAGE_INGEST_BATCH": str(batch), "CELERY_TASK_ALWAYS_EAGER": "false"}
    for name in ("DATABASE_URL", "REDIS_URL"):  # the embedded default: SQLite file, no Redis
        os.environ.pop(name, None)
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True, env=os.environ)
    import django

    django.setup()
    event = _store_photos(paths)
    go = var / "go"
    # One torch thread per worker process and two malloc arenas, as `make run` starts them.
    workers = [run_part("engine-worker", str(var / f"ready-{i}"), str(go),
                        env={"OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}, wait=False)
               for i in range(processes)]
    while not all((var / f"ready-{i}").exists() for i in range(processes)):
        time.sleep(0.05)
    started = time.perf_counter()
    go.touch()
    reports = [json.loads(w.communicate()[0].decode().strip().splitlines()[-1]) for w in workers]
    seconds = time.perf_counter() - started
    return {"photos": len(paths), "seconds": seconds, "workers": reports, "faces": _stored_faces(event)}


def _store_photos(paths: list[Path]):
    from django.core.files.uploadedfile import UploadedFile

    from events import services
    from events.services import event_create, photos_upload
    from core.tenancy.services import studio_create

    services.ingest_wake = lambda **kwargs: 0  # the benchmark starts its workers itself
    studio, owner = studio_create(name="Bench", owner_email="bench@example.com", owner_password="bench-pw-123")
    event = event_create(studio=studio, user=owner, name="Bench wedding")
    for path in paths:
        with path.open("rb") as handle:
            (outcome,) = photos_upload(event=event, user=owner, files=[UploadedFile(handle, name=path.name, size=path.stat().st_size)])
        assert outcome.status == "created", outcome.reason
    return event


def _stored_faces(event) -> dict:
    from recognition.models import Face
    from recognition.services.faces import face_embeddings
    from recognition.services.keys import event_data_key

    faces = list(Face.objects.filter(event=event).select_related("photo").order_by("id"))
    vectors = face_embeddings(faces, data_key=event_data_key(event=event), event_id=event.id) if faces else []
    found: dict[str, list] = {}
    for face, vector in zip(faces, vectors):
        found.setdefault(face.photo.original_filename, []).append({"box": face.box, "embedding": list(map(float, vector))})
    return found


def iou(a, b) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def recall_of_naive(naive: dict, engine: dict) -> tuple[int, int, list]:
    wanted, found, missed = 0, 0, []
    for name, boxes in naive.items():
        for box in boxes:
            if min(box[2] - box[0], box[3] - box[1]) < MIN_SIDE:
                continue
            wanted += 1
            hit = any(iou(box, face["box"]) >= 0.5 for face in engine.get(name, []))
            found += hit
            if not hit:
                missed.append({"photo": name, "box": [round(v) for v in box[:4]], "naive_probability": round(box[4], 3)})
    return found, wanted, missed


def cosines(engine: dict, single: dict) -> list[float]:
    values = []
    for name, faces in engine.items():
        for face in faces:
            best = max(single.get(name, []), key=lambda other: iou(face["box"], other["box"]), default=None)
            if best is not None and iou(face["box"], best["box"]) >= 0.5:
                values.append(float(np.dot(face["embedding"], best["embedding"])))
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=16)
    parser.add_argument("--naive", type=int, default=4, help="photos for the naive loop (it is slow)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-photos")
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("part_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.local")
        parts = {"naive": lambda: part_naive([Path(p) for p in args.part_args]),
                 "single": lambda: part_single([Path(p) for p in args.part_args]),
                 "engine-worker": lambda: part_engine_worker(*map(Path, args.part_args))}
        print(json.dumps(parts[args.part]()))
        return
    paths = build_photos(args.photos, args.cache)
    engine = engine_run(paths, args.processes, args.batch)
    naive = run_part("naive", *map(str, paths[:args.naive]))
    single = run_part("single", *map(str, paths))
    found, wanted, missed = recall_of_naive(naive["boxes"], engine["faces"])
    cos = cosines(engine["faces"], single["faces"])
    engine_rate, naive_rate = engine["photos"] / engine["seconds"], naive["photos"] / naive["seconds"]
    print(json.dumps({
        "photos": args.photos, "megapixels": 24, "cpu_count": os.cpu_count(),
        "naive": {"photos_per_s": round(naive_rate, 3), "photos": naive["photos"], "torch_threads": naive["torch_threads"],
                  "faces_per_photo": round(sum(map(len, naive["boxes"].values())) / naive["photos"], 2),
                  "peak_rss_mb": round(naive["peak_rss_mb"])},
        "engine": {"photos_per_s": round(engine_rate, 3), "processes": args.processes, "batch": args.batch,
                   "faces_per_photo": round(sum(map(len, engine["faces"].values())) / engine["photos"], 2),
                   "peak_rss_mb_per_worker": [round(w["peak_rss_mb"]) for w in engine["workers"]],
                   "failed": sum(w["failed"] for w in engine["workers"])},
        "ratio": round(engine_rate / naive_rate, 2),
        "parity": {"naive_faces_min48": wanted, "found_by_engine": found,
                   "recall": round(found / wanted, 4) if wanted else None, "missed": missed,
                   "cosine_batched_vs_single_min": round(min(cos), 4) if cos else None,
                   "share_cosine_ge_0_99": round(sum(c >= 0.99 for c in cos) / len(cos), 4) if cos else None},
    }, indent=2))


if __name__ == "__main__":
    main()
