"""Clustering quality against ground truth (pairwise, BCubed) and without it (silhouette).

A face labelled -1 (unassigned) counts as a cluster of its own in every metric: leaving a face
out must neither earn pairwise precision nor be silently dropped from recall.
When a denominator is empty (no predicted pairs, no true pairs) the ratio is 1.0: there was
nothing to get wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .constraints import UNASSIGNED
from .graph import unit_rows

SILHOUETTE_SAMPLE = 5000


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def singletons_for_unassigned(labels: np.ndarray) -> np.ndarray:
    labels = np.asarray(labels, dtype=np.int64).copy()
    unassigned = labels == UNASSIGNED
    labels[unassigned] = labels.max(initial=0) + 1 + np.arange(unassigned.sum())
    return labels


def _contingency(true_labels, predicted_labels):
    """Dense ids for both labelings and the count of faces in each (true, predicted) cell."""
    true_ids = np.unique(singletons_for_unassigned(true_labels), return_inverse=True)[1]
    predicted_ids = np.unique(singletons_for_unassigned(predicted_labels), return_inverse=True)[1]
    if len(true_ids) != len(predicted_ids):
        raise ValueError("true and predicted labels differ in length")
    cells, cell_of_face, cell_sizes = np.unique(
        np.stack([true_ids, predicted_ids], axis=1), axis=0, return_inverse=True, return_counts=True
    )
    return true_ids, predicted_ids, cells, cell_of_face.ravel(), cell_sizes


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_scores(true_labels, predicted_labels) -> Scores:
    """Precision/recall over face pairs: a pair is positive when both faces share a cluster."""
    true_ids, predicted_ids, _, _, cell_sizes = _contingency(true_labels, predicted_labels)
    together = _pairs(cell_sizes)
    predicted_pairs = _pairs(np.bincount(predicted_ids))
    true_pairs = _pairs(np.bincount(true_ids))
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    return Scores(precision, recall, _f1(precision, recall))


def bcubed_scores(true_labels, predicted_labels) -> Scores:
    """Per-face precision (share of its cluster with its identity) and recall, averaged."""
    true_ids, predicted_ids, _, cell_of_face, cell_sizes = _contingency(
        true_labels, predicted_labels
    )
    if not len(true_ids):
        return Scores(1.0, 1.0, 1.0)
    shared = cell_sizes[cell_of_face]
    precision = float((shared / np.bincount(predicted_ids)[predicted_ids]).mean())
    recall = float((shared / np.bincount(true_ids)[true_ids]).mean())
    return Scores(precision, recall, _f1(precision, recall))


def _silhouettes(faces, cluster_ids, sums, sizes) -> np.ndarray:
    dots = faces @ sums.T  # (faces, clusters)
    own = cluster_ids
    rows = np.arange(len(faces))
    self_dot = np.einsum("ij,ij->i", faces, faces)
    mean_within = 1 - (dots[rows, own] - self_dot) / np.maximum(sizes[own] - 1, 1)
    mean_other = 1 - dots / sizes
    mean_other[rows, own] = np.inf
    nearest_other = mean_other.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        silhouette = (nearest_other - mean_within) / np.maximum(mean_within, nearest_other)
    silhouette[sizes[own] == 1] = 0.0
    return np.nan_to_num(silhouette)


def mean_silhouette(
    embeddings: np.ndarray, labels: np.ndarray, *, sample_size: int = SILHOUETTE_SAMPLE,
    seed: int = 0,
) -> float:
    """Mean silhouette with cosine distance (1 - a.b), over a seeded sample of faces.

    Mean distances to whole clusters come exactly from cluster sums (distance is affine in the
    dot product), so a sampled face costs one (clusters,) product, never an n x n matrix.
    Faces in one-face clusters score 0 (Rousseeuw's convention); NaN with fewer than 2 clusters.
    """
    faces = unit_rows(embeddings).astype(np.float64)
    cluster_ids = np.unique(singletons_for_unassigned(labels), return_inverse=True)[1].ravel()
    cluster_count = int(cluster_ids.max(initial=-1)) + 1
    if cluster_count < 2:
        return float("nan")
    sums = np.zeros((cluster_count, faces.shape[1]))
    np.add.at(sums, cluster_ids, faces)
    sizes = np.bincount(cluster_ids).astype(np.float64)
    sample = np.arange(len(faces))
    if len(faces) > sample_size:
        sample = np.sort(np.random.default_rng(seed).choice(len(faces), sample_size, replace=False))
    block = 256  # bounds the (block x clusters) matrix when there are many small clusters
    values = [
        _silhouettes(faces[part], cluster_ids[part], sums, sizes)
        for part in np.array_split(sample, max(1, len(sample) // block))
    ]
    return float(np.concatenate(values).mean())
