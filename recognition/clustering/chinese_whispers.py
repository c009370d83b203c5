"""Chinese Whispers (Biemann 2006) on the similarity graph, with cannot-link constraints.

Every face starts as its own label and repeatedly adopts the label with the largest summed edge
similarity among its neighbours. The original visits nodes one at a time in random order; here
nodes are split once, by a seeded permutation, into batches that update together (vectorised
numpy, and still asynchronous between batches, which is what stops the label oscillation of
fully synchronous propagation). Only faces whose neighbourhood changed are revisited.
A face never adopts a label held by one of its cannot-link partners.
"""

from __future__ import annotations

import numpy as np

from .constraints import evict_cannot_link_violations
from .graph import SimilarityGraph

MAX_ITERATIONS = 40
BATCHES = 16
SEED = 0


def _best_labels(
    nodes: np.ndarray, neighbour_labels: np.ndarray, weights: np.ndarray,
    forbidden_keys: np.ndarray, label_space: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per voting node, the allowed label with the largest summed similarity (ties: lowest)."""
    keys = nodes.astype(np.int64) * label_space + neighbour_labels
    unique_keys, inverse = np.unique(keys, return_inverse=True)
    votes = np.bincount(inverse, weights=weights)
    if len(forbidden_keys):
        votes[np.isin(unique_keys, forbidden_keys)] = -np.inf
    voters, labels = np.divmod(unique_keys, label_space)
    order = np.lexsort((labels, -votes, voters))
    first = np.ones(len(order), dtype=bool)
    first[1:] = voters[order][1:] != voters[order][:-1]
    best = order[first]
    allowed = np.isfinite(votes[best])
    return voters[best][allowed], labels[best][allowed]


def _group_by_batch(owners: np.ndarray, batch_of: np.ndarray) -> list[np.ndarray]:
    """Positions of ``owners`` (edge sources, constrained faces) split by their node's batch."""
    batches = batch_of[owners]
    order = np.argsort(batches, kind="stable")
    bounds = np.searchsorted(batches[order], np.arange(BATCHES + 1))
    return [order[bounds[b] : bounds[b + 1]] for b in range(BATCHES)]


def _release_blocked(labels, constrained, partners, fresh_offset) -> list[int]:
    """A face whose label is also its partner's (it found no allowed label, or both adopted
    it in the same batch) starts a fresh label of its own and votes again next round."""
    released = []
    clashing = np.flatnonzero(labels[constrained] == labels[partners])
    for node, partner in zip(constrained[clashing].tolist(), partners[clashing].tolist()):
        if labels[node] == labels[partner]:  # releasing one face settles the pair
            labels[node] = fresh_offset + node
            released.append(node)
    return released


def cluster_chinese_whispers(
    graph: SimilarityGraph, embeddings: np.ndarray, *, cannot_link: np.ndarray, seed: int = SEED
) -> np.ndarray:
    size = graph.size
    labels = np.arange(size, dtype=np.int64)
    label_space = 2 * size  # labels >= size are fresh ones from _release_blocked
    sources, targets, weights = graph.sources(), graph.indices, graph.weights
    batch_of = np.empty(size, dtype=np.int64)
    shuffled = np.random.default_rng(seed).permutation(size)
    batch_of[shuffled] = np.arange(size) * BATCHES // max(size, 1)
    edge_batches = _group_by_batch(sources, batch_of)
    constrained = np.concatenate([cannot_link[:, 0], cannot_link[:, 1]])
    partners = np.concatenate([cannot_link[:, 1], cannot_link[:, 0]])
    constraint_batches = _group_by_batch(constrained, batch_of)
    active = np.ones(size, dtype=bool)
    for _ in range(MAX_ITERATIONS):
        changed, revote = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
        for edges, rules in zip(edge_batches, constraint_batches):
            edges = edges[active[sources[edges]]]
            if not len(edges):
                continue
            mine, theirs = constrained[rules], partners[rules]
            voters, best = _best_labels(
                sources[edges], labels[targets[edges]], weights[edges],
                mine * label_space + labels[theirs], label_space,
            )
            moved = labels[voters] != best
            labels[voters[moved]] = best[moved]
            changed[voters[moved]] = True
            released = _release_blocked(labels, mine, theirs, size)
            changed[released] = revote[released] = True
        if not changed.any():
            break
        active = revote
        active[sources[changed[targets]]] = True  # neighbours of faces that moved
        active[constrained[changed[partners]]] = True
    # Faces of one batch vote together, so two partners can adopt the same label at once.
    return evict_cannot_link_violations(labels, graph, cannot_link)
