"""Cannot-link constraints and label bookkeeping shared by every clustering method.

Two faces in one photo are two different people; curation adds more pairs ("not this person").
Each method honours the pairs while it clusters; ``evict_cannot_link_violations`` is the
shared final guarantee for methods whose parallel updates can still place a pair together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from .graph import SimilarityGraph

UNASSIGNED = -1


def normalise_cannot_link(pairs: Iterable[tuple[int, int]], size: int) -> np.ndarray:
    """(m, 2) int64 array of distinct pairs with low < high; rejects out-of-range ids."""
    if not isinstance(pairs, np.ndarray):  # list() of an array would make m small arrays
        pairs = list(pairs)
    array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if array.size and (array.min() < 0 or array.max() >= size):
        raise ValueError(f"cannot-link pair refers to a face outside 0..{size - 1}")
    if (array[:, 0] == array[:, 1]).any():
        raise ValueError("a face cannot be cannot-linked with itself")
    array = np.sort(array, axis=1)
    return np.unique(array, axis=0) if len(array) else array


def cannot_link_from_groups(group_ids: Sequence[object]) -> np.ndarray:
    """All pairs of faces that share a group id (typically the photo they were found in)."""
    members: dict[object, list[int]] = defaultdict(list)
    for face, group in enumerate(group_ids):
        if group is not None:
            members[group].append(face)
    pairs = [
        (faces[i], faces[j])
        for faces in members.values()
        for i in range(len(faces))
        for j in range(i + 1, len(faces))
    ]
    return np.asarray(pairs, dtype=np.int64).reshape(-1, 2)


def partner_lists(pairs: np.ndarray, size: int) -> list[list[int]]:
    partners: list[list[int]] = [[] for _ in range(size)]
    for low, high in pairs.tolist():
        partners[low].append(high)
        partners[high].append(low)
    return partners


def violated_pairs(labels: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    if not len(pairs):
        return pairs
    first, second = labels[pairs[:, 0]], labels[pairs[:, 1]]
    return pairs[(first == second) & (first != UNASSIGNED)]


def _attachment(graph: SimilarityGraph, labels: np.ndarray, node: int) -> float:
    """How strongly a face holds to its cluster: summed similarity to same-label neighbours."""
    neighbours, weights = graph.neighbours(node)
    return float(weights[labels[neighbours] == labels[node]].sum())


def evict_cannot_link_violations(
    labels: np.ndarray, graph: SimilarityGraph, pairs: np.ndarray
) -> np.ndarray:
    """Move the more weakly attached face of each violating pair into a cluster of its own."""
    labels = labels.copy()
    next_label = int(labels.max(initial=-1)) + 1
    for low, high in violated_pairs(labels, pairs).tolist():
        if labels[low] != labels[high]:  # an earlier eviction already separated them
            continue
        weaker = min((low, high), key=lambda node: (_attachment(graph, labels, node), -node))
        labels[weaker] = next_label
        next_label += 1
    return labels


def canonical_labels(labels: np.ndarray, *, min_cluster_size: int = 1) -> np.ndarray:
    """Renumber 0..k-1 by size (largest first, ties by first face) so output is reproducible;
    clusters smaller than ``min_cluster_size`` become UNASSIGNED."""
    labels = np.asarray(labels)
    result = np.full(len(labels), UNASSIGNED, dtype=np.int64)
    placed = labels != UNASSIGNED
    if not placed.any():
        return result
    values, first, inverse, counts = np.unique(
        labels[placed], return_index=True, return_inverse=True, return_counts=True
    )
    order = np.lexsort((first, -counts))
    order = order[counts[order] >= min_cluster_size]
    new_id = np.full(len(values), UNASSIGNED, dtype=np.int64)
    new_id[order] = np.arange(len(order))
    result[placed] = new_id[inverse]
    return result
