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

"+ person" applies the search's second condition (recognition/search.py): the gallery is grouped
into people as an event would be (average linkage at the match threshold, then the merge stage),
and a matched face counts only if the selfie also reaches ``search_person_threshold`` with its
person's mean face (the selfie's own face left out of that mean; one-face people pass).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import group_labels, labelled_face, load_set  # noqa: E402

from recognition.clustering import cannot_link_from_groups, cluster_faces  # noqa: E402
from recognition.clustering.merge import merge_clusters  # noqa: E402
from recognition.ml.calibration import SFACE_PUBLISHED_THRESHOLD, calibration_for  # noqa: E402


def gallery(name: str, fixtures: Path | None, embedder: str = "sface"):
    """(embeddings, photo index, identity or None) of every usable face, and the queries."""
    photos = load_set("bbt-people") + load_set("bbt-group") if name == "bbt" else load_set(name, fixtures=fixtures)
    rows, queries = [], []
    for p, photo in enumerate(photos):
        labels = group_labels(photo) if photo.identity is None else [None] * len(photo.faces)
        main = labelled_face(photo, centre=name == "lfw-dev") if photo.identity else None
        for face, label in zip(photo.faces, labels):
            identity = photo.identity if face is main else (label if label not in (None, "?") else None)
            if face.usable:
                rows.append((face.embeddings[embedder], p, identity))
            if identity and face.usable:
                queries.append((face.embeddings[embedder], p, identity))
    return rows, queries


def people_of(vectors: np.ndarray, photo_of: np.ndarray, embedder: str = "sface") -> np.ndarray:
    calibration = calibration_for(embedder)
    cannot = cannot_link_from_groups(photo_of.tolist())
    labels = cluster_faces(vectors, threshold=calibration.cluster_threshold, cannot_link=cannot)
    return merge_clusters(vectors, labels, threshold=calibration.merge_threshold, cannot_link=cannot)


def person_agreement(vectors, labels, sums, query: np.ndarray, photo: int, photo_of) -> np.ndarray:
    """Cosine of the query with each face's person mean, the query's own face left out."""
    own = np.flatnonzero((photo_of == photo) & (np.abs(vectors - query).sum(axis=1) < 1e-5))
    face_sums = sums[labels].copy()
    if len(own):
        face_sums[labels == labels[own[0]]] -= vectors[own[0]]
    norms = np.linalg.norm(face_sums, axis=1)
    agreement = face_sums @ query / np.where(norms > 1e-6, norms, 1.0)
    return np.where(norms > 1e-6, agreement, 1.0)  # a one-face person: nothing to agree with


def evaluate(rows, queries, threshold: float, person_threshold: float | None = None) -> tuple[float, float, int]:
    vectors = np.stack([r[0] for r in rows])
    photo_of = np.array([r[1] for r in rows])
    labels = people_of(vectors, photo_of) if person_threshold is not None else None
    sums = np.stack([vectors[labels == k].sum(axis=0) for k in range(labels.max() + 1)]) if labels is not None else None
    shown_true = shown = wanted = strangers = 0
    for vector, photo, identity in queries:
        hits = (vectors @ vector >= threshold) & (photo_of != photo)
        if labels is not None:
            hits &= person_agreement(vectors, labels, sums, vector, photo, photo_of) >= person_threshold
        returned = set(photo_of[hits].tolist())
        theirs = {r[1] for r in rows if r[2] == identity and r[1] != photo}
        shown += len(returned)
        shown_true += len(returned & theirs)
        wanted += len(theirs)
        strangers += bool(returned - theirs)
    return shown_true / max(shown, 1), shown_true / max(wanted, 1), strangers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=None)
    args = parser.parse_args()
    calibration = calibration_for("sface")
    search, person = calibration.search_threshold, calibration.search_person_threshold
    for name in ("lfw-dev", "bbt", "portraits"):
        everyone, queries = gallery(name, args.fixtures)
        for kind, rows in (("all faces", everyone), ("labelled only", [r for r in everyone if r[2]])):
            for label, threshold, agree in (("grouping 0.363", SFACE_PUBLISHED_THRESHOLD, None),
                                            (f"guest {search}", search, None),
                                            (f"guest + person {person}", search, person)):
                precision, recall, strangers = evaluate(rows, queries, threshold, agree)
                print(f"{name:9s} {kind:13s} {label:22s} gallery {len(rows):5d} queries {len(queries):5d}"
                      f"  precision {precision:.4f}  recall {recall:.4f}  queries shown a stranger {strangers}")


if __name__ == "__main__":
    main()
