"""Sparse similarity graph of unit embeddings, built without an n x n matrix.

Cosine similarity of L2-normalised rows is their dot product, so the graph comes from blocked
matrix products: each tile of rows x columns is multiplied, pairs above the threshold are kept,
and every node keeps its ``max_neighbours`` most similar neighbours (a bounded top-k table).
Only the upper triangle of tiles is computed (similarity is symmetric), which halves the work.
When no node has more than ``max_neighbours`` neighbours above the threshold the graph is the
exact epsilon graph; otherwise it is the union of the top-k lists (the kNN graph).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_MAX_NEIGHBOURS = 32
BLOCK_ROWS = 2048
BLOCK_COLUMNS = 2048  # a 16 MiB float32 tile stays in cache for the threshold pass
PENDING_EDGE_BUDGET = 8_000_000  # candidate edges held before folding into the top-k table


@dataclass(frozen=True)
class SimilarityGraph:
    """Symmetric graph in CSR form; each row's neighbours are sorted by similarity, best first."""

    indptr: np.ndarray  # int64, (n + 1,)
    indices: np.ndarray  # int32 neighbour ids
    weights: np.ndarray  # float32 cosine similarities (all above the build threshold)
    threshold: float
    truncated: bool  # True when some node had more neighbours than the top-k table holds

    @property
    def size(self) -> int:
        return len(self.indptr) - 1

    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def sources(self) -> np.ndarray:
        """The source node of every stored (directed) edge, aligned with ``indices``."""
        return np.repeat(np.arange(self.size, dtype=np.int32), self.degree())

    def neighbours(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[node], self.indptr[node + 1]
        return self.indices[start:end], self.weights[start:end]

    def undirected_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each edge once as (low, high, similarity)."""
        sources = self.sources()
        once = sources < self.indices
        return sources[once], self.indices[once], self.weights[once]


def unit_rows(embeddings: np.ndarray) -> np.ndarray:
    """float32 C-contiguous rows of length 1 (zero rows stay zero rather than becoming NaN)."""
    matrix = np.ascontiguousarray(embeddings, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected an (n, d) embedding matrix, got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0).astype(np.float32)


def order_by_node_then_similarity(nodes: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Argsort by node, then similarity descending, as one int64 sort (3x a lexsort's speed):
    the float32 bits of -similarity, made order-preserving, fill the key's low 32 bits."""
    bits = (-similarity).astype(np.float32).view(np.int32).astype(np.int64)
    ordered = np.where(bits < 0, bits ^ 0x7FFFFFFF, bits) + 2**31  # IEEE negatives run backwards
    return np.argsort((nodes.astype(np.int64) << 32) | ordered, kind="stable")


class _TopKTable:
    """Per-node best ``k`` neighbours seen so far; candidates are folded in bounded batches."""

    def __init__(self, size: int, k: int) -> None:
        self.index = np.full((size, k), -1, dtype=np.int32)
        self.similarity = np.full((size, k), -np.inf, dtype=np.float32)
        self.pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.pending_count = 0
        self.overflowed = False

    def add(self, nodes: np.ndarray, others: np.ndarray, similarity: np.ndarray) -> None:
        self.pending.append((nodes, others, similarity))
        self.pending_count += len(nodes)
        if self.pending_count > PENDING_EDGE_BUDGET:
            self.fold()

    def fold(self) -> None:
        if not self.pending:
            return
        nodes, others, similarity = (np.concatenate(part) for part in zip(*self.pending))
        self.pending, self.pending_count = [], 0
        k = self.index.shape[1]
        touched = np.unique(nodes)
        kept = self.index[touched].ravel() >= 0
        nodes = np.concatenate([np.repeat(touched, k)[kept], nodes])
        others = np.concatenate([self.index[touched].ravel()[kept], others])
        similarity = np.concatenate([self.similarity[touched].ravel()[kept], similarity])
        order = order_by_node_then_similarity(nodes, similarity)
        nodes, others, similarity = nodes[order], others[order], similarity[order]
        group_start = np.searchsorted(nodes, nodes, side="left")
        rank = np.arange(len(nodes)) - group_start
        self.overflowed |= bool((rank >= k).any())
        keep = rank < k
        self.index[touched] = -1
        self.similarity[touched] = -np.inf
        self.index[nodes[keep], rank[keep]] = others[keep]
        self.similarity[nodes[keep], rank[keep]] = similarity[keep]


def _tile_candidates(
    tile: np.ndarray, threshold: float, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Local (row, column) pairs above the threshold; a dense tile keeps only row/column top-k."""
    flat = np.flatnonzero(tile > threshold)
    if len(flat) <= 4 * k * (tile.shape[0] + tile.shape[1]):
        return np.divmod(flat, tile.shape[1])
    # Dense tile (low threshold or a very frequent face): any global top-k member is also
    # in its row's or column's top-k within this tile, so nothing needed is dropped.
    kk = min(k, tile.shape[1] - 1)
    by_row = np.argpartition(tile, -kk, axis=1)[:, -kk:]
    rows = np.repeat(np.arange(tile.shape[0]), kk)
    kk = min(k, tile.shape[0] - 1)
    by_column = np.argpartition(tile, -kk, axis=0)[-kk:, :]
    columns = np.tile(np.arange(tile.shape[1]), kk)
    rows = np.concatenate([rows, by_column.ravel()])
    cols = np.concatenate([by_row.ravel(), columns])
    flat = np.unique(rows * tile.shape[1] + cols)  # a pair can top its row and its column
    flat = flat[tile.ravel()[flat] > threshold]
    return np.divmod(flat, tile.shape[1])


def _scan_tiles(matrix: np.ndarray, threshold: float, table: _TopKTable) -> None:
    size, k = len(matrix), table.index.shape[1]
    for row_start in range(0, size, BLOCK_ROWS):
        block = matrix[row_start : row_start + BLOCK_ROWS]
        for column_start in range(row_start, size, BLOCK_COLUMNS):
            tile = block @ matrix[column_start : column_start + BLOCK_COLUMNS].T
            if column_start < row_start + len(block):  # tiles on the diagonal hold (i, i), (j, i)
                below = np.tri(*tile.shape, k=row_start - column_start, dtype=bool)
                np.copyto(tile, -np.inf, where=below)
            rows, cols = _tile_candidates(tile, threshold, k)
            similarity = tile[rows, cols]
            rows, cols = (rows + row_start).astype(np.int32), (cols + column_start).astype(np.int32)
            table.add(np.concatenate([rows, cols]), np.concatenate([cols, rows]),
                      np.concatenate([similarity, similarity]))
    table.fold()


def _symmetric_csr(table: _TopKTable, threshold: float) -> SimilarityGraph:
    size, k = table.index.shape
    valid = table.index.ravel() >= 0
    sources = np.repeat(np.arange(size, dtype=np.int64), k)[valid]
    targets = table.index.ravel()[valid].astype(np.int64)
    similarity = table.similarity.ravel()[valid]
    # An edge survives when it is in either endpoint's top-k (union keeps clusters connected).
    low, high = np.minimum(sources, targets), np.maximum(sources, targets)
    _, first = np.unique(low * size + high, return_index=True)
    low, high, similarity = low[first], high[first], similarity[first]
    sources = np.concatenate([low, high])
    targets = np.concatenate([high, low]).astype(np.int32)
    similarity = np.concatenate([similarity, similarity])
    order = order_by_node_then_similarity(sources, similarity)
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=size), out=indptr[1:])
    return SimilarityGraph(indptr, targets[order], similarity[order], threshold, table.overflowed)


def build_similarity_graph(
    embeddings: np.ndarray, *, threshold: float, max_neighbours: int = DEFAULT_MAX_NEIGHBOURS
) -> SimilarityGraph:
    """Edges between faces whose cosine similarity exceeds ``threshold``, at most ``k`` per face."""
    if max_neighbours < 1:
        raise ValueError("max_neighbours must be at least 1")
    matrix = unit_rows(embeddings)
    table = _TopKTable(len(matrix), max_neighbours)
    _scan_tiles(matrix, float(threshold), table)
    return _symmetric_csr(table, float(threshold))
