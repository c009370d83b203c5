"""Average-linkage agglomerative clustering stopped at the threshold, with cannot-link.

For dot-product similarity the average linkage of two clusters is exact from their mean
vectors: mean(a . b over A x B) = mean(A) . mean(B). So no pair matrix is kept; the
sparse graph only says which clusters are candidates to merge (those joined by an edge).
That restriction loses nothing when the graph is the full epsilon graph: an average above the
threshold needs at least one pair above it, i.e. an edge. When the graph was truncated at
max_neighbours, clusters linked only through dropped pairs are never compared (approximate).

Merges run best-first: each cluster's best allowed neighbour sits in a heap (stale entries
are skipped by a per-cluster stamp).
Average linkage is reducible, so stopping at the first merge below the threshold gives the
same flat clustering as cutting the full dendrogram there. A merge that would join two
cannot-link partners is refused, and the refusal is inherited by the merged clusters.
"""

from __future__ import annotations

import heapq

import numpy as np

from .constraints import partner_lists
from .graph import SimilarityGraph


class _ClusterState:
    def __init__(self, graph: SimilarityGraph, embeddings: np.ndarray, cannot_link: np.ndarray):
        size = graph.size
        # Mean vectors, so a linkage is one dot product: mean(A) . mean(B) = sum . sum / |A||B|.
        self.means = embeddings.astype(np.float64)  # float64: means of thousands of faces
        self.sizes = np.ones(size, dtype=np.int64)
        self.parent = np.arange(size, dtype=np.int64)  # merged clusters point at their survivor
        self.neighbours = [
            set(graph.indices[graph.indptr[i] : graph.indptr[i + 1]].tolist()) for i in range(size)
        ]
        self.enemies = [set(partners) for partners in partner_lists(cannot_link, size)]

    def allowed_neighbours(self, cluster: int) -> np.ndarray:
        candidates = self.neighbours[cluster]
        if self.enemies[cluster]:
            candidates = candidates - self.enemies[cluster]
        return np.fromiter(candidates, dtype=np.int64, count=len(candidates))

    def linkage(self, cluster: int, others: np.ndarray) -> np.ndarray:
        return self.means[others] @ self.means[cluster]

    def merge(self, keep: int, gone: int) -> None:
        kept, absorbed = self.sizes[keep], self.sizes[gone]
        total = kept + absorbed
        self.means[keep] = (self.means[keep] * kept + self.means[gone] * absorbed) / total
        self.sizes[keep] = total
        self.parent[gone] = keep
        for other in self.neighbours[gone]:
            self.neighbours[other].discard(gone)
            if other != keep:
                self.neighbours[other].add(keep)
        self.neighbours[keep] |= self.neighbours[gone]
        self.neighbours[keep].discard(gone)
        self.neighbours[keep].discard(keep)
        for enemy in self.enemies[gone]:
            self.enemies[enemy].discard(gone)
            self.enemies[enemy].add(keep)
        self.enemies[keep] |= self.enemies[gone]
        self.neighbours[gone], self.enemies[gone] = set(), set()

    def labels(self) -> np.ndarray:
        labels = self.parent.copy()
        while True:  # follow survivor links to the final cluster
            followed = labels[labels]
            if (followed == labels).all():
                return labels
            labels = followed


def _best_neighbour(state: _ClusterState, cluster: int) -> tuple[float, int]:
    others = state.allowed_neighbours(cluster)
    if not len(others):
        return -np.inf, -1
    linkage = state.linkage(cluster, others)
    best = int(linkage.argmax())
    return float(linkage[best]), int(others[best])


class _BestPairQueue:
    """Each live cluster's most similar allowed neighbour, in a heap keyed by that similarity.

    One entry per cluster instead of one per graph edge. A heap value may overestimate (it is
    an upper bound): when a merge lowers a cluster's linkage to its best neighbour, the cluster
    is only marked dirty and rescanned when its entry reaches the top, which most never do.
    Raised linkages are written at once, so no cluster is ever popped later than it should be.
    """

    def __init__(self, state: _ClusterState, graph: SimilarityGraph) -> None:
        self.state, self.threshold = state, graph.threshold
        size = graph.size
        self.best_similarity = np.full(size, -np.inf)
        self.best_neighbour = np.full(size, -1, dtype=np.int64)
        self.stamp = np.zeros(size, dtype=np.int64)
        self.dirty = np.zeros(size, dtype=bool)
        # A singleton's linkage is its edge similarity; rows are sorted best first.
        has_edge = graph.degree() > 0
        firsts = graph.indptr[:-1][has_edge]
        self.best_neighbour[has_edge] = graph.indices[firsts]
        self.best_similarity[has_edge] = graph.weights[firsts]
        clusters, similarities = np.flatnonzero(has_edge).tolist(), graph.weights[firsts].tolist()
        self.heap = [(-s, c, 0) for c, s in zip(clusters, similarities) if s > self.threshold]
        heapq.heapify(self.heap)
        for cluster, enemies in enumerate(state.enemies):  # the first neighbour may be barred
            self.dirty[cluster] = bool(enemies) and self.best_neighbour[cluster] in enemies

    def set_best(self, cluster: int, similarity: float, neighbour: int) -> None:
        self.best_similarity[cluster], self.best_neighbour[cluster] = similarity, neighbour
        self.stamp[cluster] += 1
        self.dirty[cluster] = False
        if similarity > self.threshold:
            heapq.heappush(self.heap, (-similarity, cluster, int(self.stamp[cluster])))

    def pop_best_pair(self) -> tuple[int, int] | None:
        while self.heap:
            _, cluster, stamp = heapq.heappop(self.heap)
            if stamp != self.stamp[cluster] or self.state.parent[cluster] != cluster:
                continue
            if self.dirty[cluster]:
                self.set_best(cluster, *_best_neighbour(self.state, cluster))
                continue
            return cluster, int(self.best_neighbour[cluster])
        return None

    def after_merge(self, keep: int, gone: int) -> None:
        self.stamp[gone] += 1  # retire the absorbed cluster's entry
        state = self.state
        others = state.allowed_neighbours(keep)
        linkage = state.linkage(keep, others) if len(others) else np.empty(0)
        pointed = self.best_neighbour[others]
        pointed_at_parts = (pointed == keep) | (pointed == gone)
        raised = linkage >= self.best_similarity[others]
        for other, similarity in zip(others[raised].tolist(), linkage[raised].tolist()):
            self.set_best(other, similarity, keep)  # beats every unchanged alternative
        self.dirty[others[pointed_at_parts & ~raised]] = True
        enemies = np.fromiter(state.enemies[keep], dtype=np.int64)
        pointed = self.best_neighbour[enemies]
        self.dirty[enemies[(pointed == keep) | (pointed == gone)]] = True  # now barred
        best = int(linkage.argmax()) if len(linkage) else -1
        self.set_best(keep, *((linkage[best], int(others[best])) if best >= 0 else (-np.inf, -1)))


def cluster_average_linkage(
    graph: SimilarityGraph, embeddings: np.ndarray, *, cannot_link: np.ndarray
) -> np.ndarray:
    state = _ClusterState(graph, embeddings, cannot_link)
    queue = _BestPairQueue(state, graph)
    while (pair := queue.pop_best_pair()) is not None:
        a, b = pair
        keep, gone = (a, b) if state.sizes[a] >= state.sizes[b] else (b, a)
        state.merge(keep, gone)
        queue.after_merge(keep, gone)
    return state.labels()
