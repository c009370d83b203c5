"""Second clustering stage: merge clusters whose mean faces agree, and rank "same person?" pairs.

Average linkage stops when the *average* pair of two clusters is below the threshold, which splits
a person whose photos differ a lot (age, light, profile): each pair is weak but the clusters'
mean faces, which average that variation out, still point the same way. This stage compares
cluster means *centred* on the event's mean face (every face embedding shares a common direction;
left in, it makes the means of any two big clusters look alike and the merge chains people) and
merges, most similar first, while their cosine clears ``threshold``; a merge joining two clusters with a cannot-link pair between
them (two faces of one photo, "not this person") is refused. Thresholds per embedder are in
recognition/ml/calibration.py (measured by scripts/calibrate_clustering.py).

Candidates come from the sparse similarity graph of the means built at ``candidate_threshold``
(lower than the merge threshold): a merged mean can score higher with a third cluster than
either part did, and candidates that low catch those without an all-pairs matrix.
"""
from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np

from .constraints import UNASSIGNED
from .graph import build_similarity_graph, unit_rows

CANDIDATE_MARGIN = 0.1  # candidate pairs: mean cosine >= threshold - this


def cluster_sums(embeddings: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cluster labels, summed unit embeddings, sizes) of the clusters with labels >= 0."""
    kept = labels != UNASSIGNED
    clusters, inverse, sizes = np.unique(labels[kept], return_inverse=True, return_counts=True)
    sums = np.zeros((len(clusters), embeddings.shape[1]), dtype=np.float64)
    np.add.at(sums, inverse, unit_rows(embeddings[kept]).astype(np.float64))
    return clusters, sums, sizes


def centred_means(sums: np.ndarray, sizes: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Unit vectors of each cluster's mean face minus the event's mean face."""
    return unit_rows(sums / np.asarray(sizes, np.float64).reshape(-1, 1) - centre)


def event_centre(embeddings: np.ndarray) -> np.ndarray:
    """The mean face of all the event's faces: the direction every face shares."""
    return unit_rows(embeddings).astype(np.float64).mean(axis=0)


def cluster_enemies(labels: np.ndarray, cannot_link: np.ndarray) -> dict[int, set[int]]:
    """Cluster label -> labels it must never merge with (a cannot-link pair spans them)."""
    enemies: dict[int, set[int]] = defaultdict(set)
    for a, b in np.asarray(cannot_link, dtype=np.int64).reshape(-1, 2):
        la, lb = int(labels[a]), int(labels[b])
        if la != lb and UNASSIGNED not in (la, lb):
            enemies[la].add(lb)
            enemies[lb].add(la)
    return enemies


def mean_similarity_pairs(means: np.ndarray, threshold: float) -> list[tuple[float, int, int]]:
    """(cosine, i, j), i < j, of unit cluster means at or above ``threshold`` (sparse, blocked)."""
    if len(means) < 2:
        return []
    means = means.astype(np.float32)
    graph = build_similarity_graph(means, threshold=threshold)
    sources, targets, weights = graph.undirected_edges()
    return [(float(w), int(i), int(j)) for i, j, w in zip(sources, targets, weights)]


def merge_clusters(embeddings: np.ndarray, labels: np.ndarray, *, threshold: float,
                   cannot_link: np.ndarray = np.zeros((0, 2), np.int64), centre: np.ndarray | None = None
                   ) -> np.ndarray:
    """Labels after merging clusters whose unit means have cosine >= threshold.

    A merged cluster keeps the label of its larger part (ties: either), so callers
    that label by person id keep the bigger person's id; -1 stays -1. ``centre`` defaults to the
    mean of ``embeddings`` (pass the event's mean when clustering only part of it).
    """
    labels = np.asarray(labels, dtype=np.int64)
    centre = event_centre(embeddings) if centre is None else centre
    clusters, sums, sizes = cluster_sums(embeddings, labels)
    means = centred_means(sums, sizes, centre)
    position = {int(c): k for k, c in enumerate(clusters)}
    enemies = {position[c]: {position[e] for e in es} for c, es in cluster_enemies(labels, cannot_link).items()}
    parent = list(range(len(clusters)))
    stamp = [0] * len(clusters)  # bumped when a cluster's mean changes: older heap entries are stale
    neighbours: dict[int, set[int]] = defaultdict(set)
    heap = []
    for similarity, i, j in mean_similarity_pairs(means, threshold - CANDIDATE_MARGIN):
        neighbours[i].add(j)
        neighbours[j].add(i)
        if similarity >= threshold:
            heap.append((-similarity, i, j, 0, 0))
    heapq.heapify(heap)
    while heap:
        _, i, j, si, sj = heapq.heappop(heap)
        if parent[i] != i or parent[j] != j or (si, sj) != (stamp[i], stamp[j]) or j in enemies.get(i, ()):
            continue
        if sizes[j] > sizes[i]:
            i, j = j, i
        sizes[i] += sizes[j]
        stamp[i] += 1
        _absorb(i, j, sums, parent, neighbours, enemies)
        means[i] = centred_means(sums[i:i + 1], sizes[i:i + 1], centre)[0]
        for other in neighbours[i]:
            similarity = float(means[i] @ means[other])
            if similarity >= threshold and other not in enemies.get(i, ()):
                heapq.heappush(heap, (-similarity, i, other, stamp[i], stamp[other]))
    root = np.array([_find(parent, k) for k in range(len(clusters))], dtype=np.int64)
    merged = labels.copy()
    kept = labels != UNASSIGNED
    merged[kept] = clusters[root[np.searchsorted(clusters, labels[kept])]]
    return merged


def _absorb(keep: int, gone: int, sums, parent, neighbours, enemies) -> None:
    sums[keep] += sums[gone]
    parent[gone] = keep
    for other in neighbours.pop(gone, set()):
        neighbours[other].discard(gone)
        if other != keep:
            neighbours[other].add(keep)
            neighbours[keep].add(other)
    neighbours[keep].discard(keep)
    for other in enemies.pop(gone, set()):
        enemies[other].discard(gone)
        enemies[other].add(keep)
        enemies.setdefault(keep, set()).add(other)


def _find(parent: list[int], k: int) -> int:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


def merge_suggestions(embeddings: np.ndarray, labels: np.ndarray, *, threshold: float,
                      cannot_link: np.ndarray = np.zeros((0, 2), np.int64), limit: int = 50,
                      centre: np.ndarray | None = None) -> list[tuple[int, int, float]]:
    """(label a, label b, centred mean cosine) of clusters that may be one person, most similar first.

    Pairs with a cannot-link between them are never offered.
    """
    labels = np.asarray(labels, dtype=np.int64)
    centre = event_centre(embeddings) if centre is None else centre
    clusters, sums, sizes = cluster_sums(embeddings, labels)
    enemies = cluster_enemies(labels, cannot_link)
    pairs = sorted(mean_similarity_pairs(centred_means(sums, sizes, centre), threshold), reverse=True)
    found = [(int(clusters[i]), int(clusters[j]), similarity) for similarity, i, j in pairs
             if int(clusters[j]) not in enemies.get(int(clusters[i]), ())]
    return found[:limit]
