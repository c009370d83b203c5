"""DBSCAN on the similarity graph (eps = 1 - threshold in cosine distance), with cannot-link.

Core faces have at least ``MIN_SAMPLES - 1`` neighbours above the threshold (DBSCAN counts the
point itself); connected core faces form a cluster; a border face joins the cluster of its most
similar core neighbour. DBSCAN would call the rest noise, but for an event a guest seen once is
still a person, so each remaining face becomes a one-face cluster (``min_cluster_size`` in
``cluster_faces`` turns small clusters back into -1 when a caller wants that).

Cannot-link: components are first found without constraints (vectorised). Only components
that contain a constrained pair are rebuilt with a constrained union-find that adds their edges
most-similar first and refuses any union joining two partners (exact, like Kruskal).

Exact vs approximate: identical to DBSCAN when the graph was not truncated at max_neighbours;
with truncation, core status (needs only MIN_SAMPLES - 1 <= k neighbours) is still exact,
reachability uses the kNN edges only.
"""

from __future__ import annotations

import numpy as np

from .constraints import partner_lists, violated_pairs
from .graph import SimilarityGraph

MIN_SAMPLES = 2  # measured best on the synthetic events (docs/clustering.md); 3-8 chain as much


def connected_components(size: int, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Component id (its smallest node) per node: hooking plus pointer jumping, all numpy."""
    parent = np.arange(size, dtype=np.int64)
    while True:
        a, b = parent[low], parent[high]
        if (a == b).all():
            return parent
        np.minimum.at(parent, np.maximum(a, b), np.minimum(a, b))  # hook larger root under smaller
        while True:
            grandparent = parent[parent]
            if (grandparent == parent).all():
                break
            parent = grandparent


class _ConstrainedUnionFind:
    def __init__(self, nodes: list[int], partners: list[list[int]]) -> None:
        self.parent = {node: node for node in nodes}
        members = set(nodes)
        self.enemies = {node: {p for p in partners[node] if p in members} for node in nodes}

    def find(self, node: int) -> int:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b or root_b in self.enemies[root_a]:
            return
        if len(self.enemies[root_a]) < len(self.enemies[root_b]):
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        for enemy in self.enemies.pop(root_b):
            self.enemies[enemy].discard(root_b)
            self.enemies[enemy].add(root_a)
            self.enemies[root_a].add(enemy)


def _split_violating_components(
    components: np.ndarray, edges: tuple[np.ndarray, ...], cannot_link: np.ndarray, size: int
) -> np.ndarray:
    broken = np.unique(components[violated_pairs(components, cannot_link)[:, 0]])
    if not len(broken):
        return components
    low, high, weights = edges
    inside = np.isin(components[low], broken)
    order = np.argsort(-weights[inside], kind="stable")
    low, high = low[inside][order], high[inside][order]
    nodes = np.flatnonzero(np.isin(components, broken))
    union_find = _ConstrainedUnionFind(nodes.tolist(), partner_lists(cannot_link, size))
    for a, b in zip(low.tolist(), high.tolist()):
        union_find.union(a, b)
    components = components.copy()
    components[nodes] = [union_find.find(node) for node in nodes.tolist()]
    return components


def _attach_border_faces(
    graph: SimilarityGraph, labels: np.ndarray, core: np.ndarray, cannot_link: np.ndarray
) -> None:
    """Each non-core face joins its most similar core neighbour's cluster, unless a partner is
    already there (then the next most similar); faces with no allowed core stay alone."""
    partners = partner_lists(cannot_link, graph.size)
    for node in np.flatnonzero(~core).tolist():
        neighbours, _ = graph.neighbours(node)  # sorted best first
        for candidate in neighbours[core[neighbours]].tolist():
            target = labels[candidate]
            if all(labels[p] != target for p in partners[node]):
                labels[node] = target
                break


def cluster_dbscan(
    graph: SimilarityGraph, embeddings: np.ndarray, *, cannot_link: np.ndarray,
    min_samples: int = MIN_SAMPLES,
) -> np.ndarray:
    size = graph.size
    core = graph.degree() + 1 >= min_samples
    low, high, weights = graph.undirected_edges()
    core_edge = core[low] & core[high]
    edges = (low[core_edge], high[core_edge], weights[core_edge])
    labels = connected_components(size, edges[0], edges[1])
    labels = _split_violating_components(labels, edges, cannot_link, size)
    _attach_border_faces(graph, labels, core, cannot_link)
    return labels
