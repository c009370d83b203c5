"""Clustering of L2-normalised face embeddings into people (numpy only, Django-free).

``cluster_faces`` builds a sparse similarity graph (blocked products, never an n x n matrix)
and runs one of ``METHODS`` on it, honouring cannot-link pairs (faces of one photo, curation's
"not this person"). ``assign_to_people`` adds new faces to existing people incrementally.
Measurements behind DEFAULT_METHOD: docs/clustering.md (scripts/bench_clustering.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .agglomerative import cluster_average_linkage
from .assign import ASSIGNMENT_METHODS, assign_to_people
from .chinese_whispers import cluster_chinese_whispers
from .constraints import (
    UNASSIGNED,
    canonical_labels,
    cannot_link_from_groups,
    normalise_cannot_link,
)
from .dbscan import cluster_dbscan
from .graph import DEFAULT_MAX_NEIGHBOURS, SimilarityGraph, build_similarity_graph, unit_rows

ClusteringMethod = Callable[..., np.ndarray]

METHODS: dict[str, ClusteringMethod] = {
    "chinese_whispers": cluster_chinese_whispers,
    "dbscan": cluster_dbscan,
    "average_linkage": cluster_average_linkage,
}
DEFAULT_METHOD = "average_linkage"

__all__ = [
    "ASSIGNMENT_METHODS",
    "DEFAULT_METHOD",
    "METHODS",
    "UNASSIGNED",
    "SimilarityGraph",
    "assign_to_people",
    "build_similarity_graph",
    "cannot_link_from_groups",
    "cluster_faces",
]


def cluster_faces(
    embeddings: np.ndarray,
    *,
    threshold: float,
    cannot_link: Iterable[tuple[int, int]] = (),
    method: str | None = None,
    min_cluster_size: int = 1,
    max_neighbours: int = DEFAULT_MAX_NEIGHBOURS,
) -> np.ndarray:
    """Person label per face, numbered 0.. by cluster size (largest first).

    ``threshold`` is a cosine similarity: only faces more similar than it are ever linked.
    A face seen once is still a person, so it gets its own label; -1 appears only for
    clusters smaller than ``min_cluster_size`` (raise it to hide one-off faces).
    No two faces of a ``cannot_link`` pair ever share a label.
    """
    name = method or DEFAULT_METHOD
    if name not in METHODS:
        raise ValueError(f"unknown clustering method {name!r}; use one of {sorted(METHODS)}")
    faces = unit_rows(embeddings)
    pairs = normalise_cannot_link(cannot_link, len(faces))
    if not len(faces):
        return np.empty(0, dtype=np.int64)
    graph = build_similarity_graph(faces, threshold=threshold, max_neighbours=max_neighbours)
    labels = METHODS[name](graph, faces, cannot_link=pairs)
    return canonical_labels(labels, min_cluster_size=min_cluster_size)
