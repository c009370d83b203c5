"""Faces drawn by hand (recognition.ml.drawn): seconds per box, and how close the drawn face's
embedding is to the detected face's, with the detector's landmarks and with the box alone.

    .venv/bin/python scripts/bench_drawn_faces.py [--loosen 0.1]

For every face the pipeline detects in shared/data/faces/bbt/group/*.jpg, a box as a person would
draw it (the detected box, --loosen of its size looser on each side) goes through
analyze_drawn_box; the same box is also aligned from the box alone (no landmarks). Prints JSON:
median/p95 seconds per drawn box, share with landmarks found, median cosine with the detected
face for both alignments.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.local")
GROUP = ROOT.parent / "shared" / "data" / "faces" / "bbt" / "group"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loosen", type=float, default=0.1)
    args = parser.parse_args()
    import django

    django.setup()
    from recognition.conf import face_pipeline
    from recognition.ml.detector import Detection
    from recognition.ml.drawn import analyze_drawn_box, box_landmarks

    pipeline = face_pipeline()
    seconds, found, cos_found, cos_box = [], [], [], []
    for path in sorted(GROUP.glob("*.jpg")):
        data = path.read_bytes()
        for face in pipeline.analyze(data):
            x1, y1, x2, y2 = face.box
            w, h = x2 - x1, y2 - y1
            box = (max(0, x1 - args.loosen * w), max(0, y1 - args.loosen * h), x2 + args.loosen * w, y2 + args.loosen * h)
            started = time.perf_counter()
            drawn = analyze_drawn_box(pipeline, data, box)
            seconds.append(time.perf_counter() - started)
            found.append(drawn.landmarks_found)
            cos_found.append(float(drawn.face.embedding @ face.embedding))
            alone = pipeline.faces_at(pipeline.prepare(data), [Detection(np.asarray(box), 0.0, box_landmarks(box))])[0]
            cos_box.append(float(alone.embedding @ face.embedding))
    print(json.dumps({
        "boxes": len(seconds), "seconds_median": round(float(np.median(seconds)), 3),
        "seconds_p95": round(float(np.percentile(seconds, 95)), 3),
        "landmarks_found": round(sum(found) / len(found), 3),
        "cosine_with_detected_median": round(float(np.median(cos_found)), 3),
        "cosine_with_detected_min": round(float(np.min(cos_found)), 3),
        "cosine_box_alone_median": round(float(np.median(cos_box)), 3),
    }, indent=2))


if __name__ == "__main__":
    main()
