"""Time the face pipeline per image (decode, detect) and per face (align + embed).

    .venv/bin/python scripts/bench_recognition.py [FOLDER ...] [--repeat 3] [--batch 64]

Default folders: shared/data/faces/portraits and bbt/group. Prints one line per image (best of
--repeat), then medians, and the embedder's throughput on a batch of --batch aligned faces.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recognition.ml.align import align_face  # noqa: E402
from recognition.ml.images import decode  # noqa: E402
from recognition.ml.pipeline import get_pipeline  # noqa: E402
from visage.settings.surface import Surface  # noqa: E402

FACES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "faces"
DEFAULT_FOLDERS = [FACES / "portraits", FACES / "bbt" / "group"]


def best_time(action, repeat: int):
    """(fastest seconds, last result) over ``repeat`` runs: the least disturbed by other load."""
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def bench_image(path: Path, repeat: int) -> dict:
    pipeline = get_pipeline(Surface().ml_config())
    decode_s, decoded = best_time(lambda: decode(path, long_side=pipeline.detection_side), repeat)
    detect_s, found = best_time(lambda: pipeline.detector.detect(decoded.image), repeat)
    crops = [align_face(decoded.image, d.landmarks, pipeline.embedder.template) for d in found]
    embed_s, _ = best_time(lambda: pipeline.embedder.embed(crops), repeat) if crops else (0.0, None)
    total_s, faces = best_time(lambda: pipeline.analyze(path), repeat)
    return {"image": path.name, "size": decoded.original_size, "decode_s": decode_s, "detect_s": detect_s,
            "faces": len(faces), "embed_per_face_s": embed_s / len(crops) if crops else None, "total_s": total_s}


def batch_throughput(faces: list, batch: int, repeat: int) -> float:
    pipeline = get_pipeline(Surface().ml_config())
    crops = [faces[i % len(faces)] for i in range(batch)]
    seconds, _ = best_time(lambda: pipeline.embedder.embed(crops), repeat)
    return batch / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    pipeline = get_pipeline(Surface().ml_config())
    print(f"device {pipeline.detector.device}, torch threads {torch.get_num_threads()}, "
          f"embedder {pipeline.embedder.name} {pipeline.embedder.version}")
    pipeline.analyze(next(p for folder in args.folders for p in sorted(folder.iterdir())))  # warm-up
    rows = [bench_image(path, args.repeat) for folder in args.folders for path in sorted(folder.iterdir())
            if path.suffix.lower() in {".jpg", ".jpeg", ".png"}]
    print(f"{'image':32} {'size':>11} {'decode':>8} {'detect':>8} {'faces':>5} {'embed/face':>10} {'total':>8}")
    for row in rows:
        embed = f"{row['embed_per_face_s']:.3f}" if row["embed_per_face_s"] is not None else "-"
        print(f"{row['image']:32} {'x'.join(map(str, row['size'])):>11} {row['decode_s']:8.3f} "
              f"{row['detect_s']:8.3f} {row['faces']:5d} {embed:>10} {row['total_s']:8.3f}")
    per_face = [r["embed_per_face_s"] for r in rows if r["embed_per_face_s"] is not None]
    print(f"median per image: decode {statistics.median(r['decode_s'] for r in rows):.3f} s, "
          f"detect {statistics.median(r['detect_s'] for r in rows):.3f} s, "
          f"whole analyze {statistics.median(r['total_s'] for r in rows):.3f} s; "
          f"median embed per face (face + mirror) {statistics.median(per_face):.3f} s")
    faces = [f.aligned for f in pipeline.analyze(FACES / "bbt" / "group" / "bbt4.jpg")]
    print(f"embedding throughput, batch {args.batch}: {batch_throughput(faces, args.batch, args.repeat):.1f} faces/s")


if __name__ == "__main__":
    main()
