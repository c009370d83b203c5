"""Selfie search precision and recall at the grouping and the guest-search thresholds, per set.

    .venv/bin/python scripts/calibrate_search.py [--fixtures DIR]

Each labelled face of a set (scripts/calibrate_sets.py) in turn is the selfie; the gallery is every
usable face of the *other* photos of the set (lfw-dev: 1,032 photos of 200 people, background
faces included; bbt: people + group shots, labelled by tests/recognition/group_truth.py). A photo
is returned when one of its faces reaches the threshold. Precision: returned photos that show the
selfie's person; recall: that person's other photos returned; "strangers shown": queries that got
at least one photo without their person (what a guest must never see). Unlabelled faces (LFW's
background people, a bystander) count as strangers when returned: some are in fact the same person,
so the "all faces" rows are a floor on precision; "labelled only" rows leave them out of the gallery.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import group_labels, labelled_face, load_set  # noqa: E402

from recognition.ml.calibration import SFACE_PUBLISHED_THRESHOLD, calibration_for  # noqa: E402


def gallery(name: str, fixtures: Path | None):
    """(embeddings, photo index, identity or None) of every usable face, and the queries."""
    photos = load_set("bbt-people") + load_set("bbt-group") if name == "bbt" else load_set(name, fixtures=fixtures)
    rows, queries = [], []
    for p, photo in enumerate(photos):
        labels = group_labels(photo) if photo.identity is None else [None] * len(photo.faces)
        main = labelled_face(photo, centre=name == "lfw-dev") if photo.identity else None
        for face, label in zip(photo.faces, labels):
            identity = photo.identity if face is main else (label if label not in (None, "?") else None)
            if face.usable:
                rows.append((face.embeddings["sface"], p, identity))
            if identity and face.usable:
                queries.append((face.embeddings["sface"], p, identity))
    return rows, queries


def evaluate(rows, queries, threshold: float) -> tuple[float, float, int]:
    vectors = np.stack([r[0] for r in rows])
    photo_of = np.array([r[1] for r in rows])
    shown_true = shown = wanted = found = strangers = 0
    for vector, photo, identity in queries:
        hits = (vectors @ vector >= threshold) & (photo_of != photo)
        returned = set(photo_of[hits].tolist())
        theirs = {r[1] for r in rows if r[2] == identity and r[1] != photo}
        shown += len(returned)
        shown_true += len(returned & theirs)
        wanted += len(theirs)
        found += len(returned & theirs)
        strangers += bool(returned - theirs)
    return shown_true / max(shown, 1), found / max(wanted, 1), strangers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=None)
    args = parser.parse_args()
    search = calibration_for("sface").search_threshold
    for name in ("lfw-dev", "bbt", "portraits"):
        everyone, queries = gallery(name, args.fixtures)
        for kind, rows in (("all faces", everyone), ("labelled only", [r for r in everyone if r[2]])):
            for label, threshold in (("grouping 0.363", SFACE_PUBLISHED_THRESHOLD), (f"guest {search}", search)):
                precision, recall, strangers = evaluate(rows, queries, threshold)
                print(f"{name:9s} {kind:13s} {label:14s} gallery {len(rows):5d} queries {len(queries):5d}"
                      f"  precision {precision:.4f}  recall {recall:.4f}  queries shown a stranger {strangers}")


if __name__ == "__main__":
    main()
