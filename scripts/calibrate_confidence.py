"""The share of true matches in each confidence band of a guest search, measured on lfw-dev.

    .venv/bin/python scripts/calibrate_confidence.py [--embedder sface|sface-fast]

Every labelled lfw-dev face in turn is the selfie (1,030 queries); the gallery is every usable face
of the other photos (background faces included), searched as recognition/search.py does: cosine
at or above the search threshold and the selfie agreeing with the matched person's mean face. Each
match falls in a band by its cosine (recognition.ml.calibration: probably_threshold,
very_likely_threshold); a match is true when the face is labelled with the selfie's person.
Unlabelled faces count as strangers (some are the same person in the background), so the "all
faces" rows are a floor on the share of true matches; "labelled only" leaves them out.

It also prints where the cosines of true matches fall (the 90th percentile is the model's
``typical_threshold``: 99 %), the spread of the new confidence, and how many matches the old
logistic P(same) showed as 99.5 % or more.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_search import gallery, people_of, person_agreement  # noqa: E402

from recognition.ml.calibration import BANDS, calibration_for, confidence_band  # noqa: E402


def matches(rows, queries, embedder: str) -> tuple[np.ndarray, np.ndarray]:
    """(cosine, is_true) of every match a guest search returns (one per gallery face)."""
    calibration = calibration_for(embedder)
    vectors = np.stack([r[0] for r in rows])
    photo_of = np.array([r[1] for r in rows])
    identity = np.array([r[2] or "" for r in rows])
    labels = people_of(vectors, photo_of, embedder)
    sums = np.stack([vectors[labels == k].sum(axis=0) for k in range(labels.max() + 1)])
    cosines, truth = [], []
    for vector, photo, person in queries:
        similarity = vectors @ vector
        hits = (similarity >= calibration.search_threshold) & (photo_of != photo)
        hits &= person_agreement(vectors, labels, sums, vector, photo, photo_of) >= calibration.search_person_threshold
        cosines.append(similarity[hits])
        truth.append(identity[hits] == person)
    return np.concatenate(cosines), np.concatenate(truth)


def report(kind: str, cosines: np.ndarray, truth: np.ndarray, embedder: str) -> None:
    calibration = calibration_for(embedder)
    percent = np.array([round(calibration.match_confidence(c), 1) for c in cosines])
    bands = np.array([confidence_band(p) for p in percent])
    print(f"{embedder} · {kind}: {len(cosines)} matches, {int(truth.sum())} true")
    print(f"  {'band':12s} {'cosine from':>11s} {'matches':>8s} {'true':>6s} {'share true':>10s} "
          f"{'of all true':>11s} {'confidence':>14s}")
    edges = {"maybe": calibration.search_threshold, "probably": calibration.probably_threshold,
             "very_likely": calibration.very_likely_threshold}
    for band in BANDS:
        mask = bands == band
        true = int(truth[mask].sum())
        spread = f"{percent[mask].min():.1f}-{percent[mask].max():.1f}" if mask.any() else "-"
        print(f"  {band:12s} {edges[band]:11.3f} {int(mask.sum()):8d} {true:6d} {true / max(mask.sum(), 1):10.4f} "
              f"{true / max(truth.sum(), 1):11.4f} {spread:>14s}")
    old = np.array([calibration.confidence(c) for c in cosines])
    print(f"  confidence: median {np.median(percent):.1f}, at 99.9 {int((percent >= 99.9).sum())}; "
          f"old P(same) >= 99.5: {int((old >= 99.5).sum())} of {len(old)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", default="sface", choices=["sface", "sface-fast"])
    args = parser.parse_args()
    everyone, queries = gallery("lfw-dev", None, args.embedder)
    for kind, rows in (("all faces", everyone), ("labelled only", [r for r in everyone if r[2]])):
        cosines, truth = matches(rows, queries, args.embedder)
        report(kind, cosines, truth, args.embedder)
        if kind == "all faces":
            print("  cosines of true matches, percentiles 10/25/50/75/90: "
                  + " ".join(f"{q:.3f}" for q in np.percentile(cosines[truth], [10, 25, 50, 75, 90])))


if __name__ == "__main__":
    main()
