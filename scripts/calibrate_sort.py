"""sort_photos' grouping (recognition.ml.folder_sort.assign_people) on the cached calibration sets.

    .venv/bin/python scripts/calibrate_sort.py [--fixtures DIR] [--first 0.363,0.40]

The same code as ``manage.py sort_photos`` after detection, on the detections that
scripts/calibrate_sets.py cached (so the detector is not run again), scored like
scripts/score_sort_report.py: one face per photo, its subject ("best": the best query face;
"centre": the face nearest the centre, LFW's labelling convention; "first-with-person": the old rule), identity = the photo's folder. bbt-group has no folder labels
and is left out here (scripts/calibrate_clustering.py scores its faces). ``--first`` overrides the
embedder's cluster threshold (the first stage) to compare before and after.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import load_set  # noqa: E402
from score_sort_report import labels_from_report  # noqa: E402

from recognition.clustering.metrics import bcubed_scores, pairwise_scores  # noqa: E402
from recognition.ml.calibration import calibration_for  # noqa: E402
from recognition.ml.folder_sort import PhotoFaces, SortResult, assign_people, build_report  # noqa: E402
from recognition.ml.pipeline import DetectedFace  # noqa: E402


def sorted_report(name: str, fixtures: Path | None, embedder: str, first: float | None) -> dict:
    photos = []
    for cached in load_set(name, fixtures=fixtures):
        faces = [DetectedFace(box=tuple(map(float, f.box)), probability=f.probability, landmarks=f.landmarks,
                              embedding=f.embeddings[embedder], usable=f.usable, quality_reasons=f.reasons, blur=f.blur)
                 for f in cached.faces]
        photos.append(PhotoFaces(relative=f"{cached.identity}/{Path(cached.path).name}", faces=faces,
                                 size=tuple(cached.size)))
    calibration = calibration_for(embedder)
    if first is not None:
        calibration = dataclasses.replace(calibration, cluster_threshold=first)
    people = assign_people(photos, calibration=calibration)
    return build_report(SortResult(photos=photos, errors=[], people=people), {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=None)
    parser.add_argument("--embedders", default="sface,sface-fast")
    parser.add_argument("--first", default="", help="comma-separated first-stage thresholds (default: calibrated)")
    args = parser.parse_args()
    firsts = [float(t) for t in args.first.split(",") if t] or [None]
    for embedder in args.embedders.split(","):
        for name in ("lfw-dev", "bbt-people", "portraits"):
            for first in firsts:
                report = sorted_report(name, args.fixtures, embedder, first)
                for rule in ("best", "centre", "first-with-person"):
                    truth, predicted = labels_from_report(report, rule)
                    true_ids, predicted = np.unique(truth, return_inverse=True)[1], np.array(predicted)
                    pair, b3 = pairwise_scores(true_ids, predicted), bcubed_scores(true_ids, predicted)
                    threshold = first if first is not None else calibration_for(embedder).cluster_threshold
                    print(f"{embedder} {name} first {threshold:.3f} {rule:17s} pairP {pair.precision:.4f} "
                          f"pairR {pair.recall:.4f}  B3P {b3.precision:.4f} B3R {b3.recall:.4f}  "
                          f"unassigned {int((predicted < 0).sum())}")


if __name__ == "__main__":
    main()
