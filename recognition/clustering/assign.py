"""Incremental assignment: new faces join existing people without re-clustering the event.

Each person is summarised by a centroid (mean of unit member embeddings, re-normalised), a
medoid (the member with the largest summed similarity to the others, computable from the
member sum because similarity is a dot product), or not at all ("knn": the nearest existing
faces vote with their similarity). A face joins the best person whose score clears the
threshold. Faces of one photo are different people: when several would join the same person,
only the highest-scoring keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .constraints import UNASSIGNED
from .graph import unit_rows

ASSIGNMENT_METHODS = ("centroid", "medoid", "knn")
KNN_NEIGHBOURS = 5
ROW_BLOCK = 512  # new faces per block: keeps the (block x existing faces) matrix small


def _group_sums(members: np.ndarray, person_labels: np.ndarray):
    people, inverse = np.unique(person_labels, return_inverse=True)
    sums = np.zeros((len(people), members.shape[1]), dtype=np.float64)
    np.add.at(sums, inverse, members)
    return people, inverse, sums


def _centroids(members: np.ndarray, person_labels: np.ndarray):
    people, _, sums = _group_sums(members, person_labels)
    return people, unit_rows(sums)


def _medoids(members: np.ndarray, person_labels: np.ndarray):
    people, inverse, sums = _group_sums(members, person_labels)
    total_similarity = np.einsum("ij,ij->i", members, sums[inverse])
    order = np.lexsort((-total_similarity, inverse))  # best member first within each person
    first = np.ones(len(order), dtype=bool)
    first[1:] = inverse[order][1:] != inverse[order][:-1]
    return people, members[order[first]]


def _nearest_representative(faces, people, representatives):
    labels = np.empty(len(faces), dtype=np.int64)
    scores = np.empty(len(faces), dtype=np.float32)
    for start in range(0, len(faces), ROW_BLOCK):
        similarity = faces[start : start + ROW_BLOCK] @ representatives.T
        best = similarity.argmax(axis=1)
        labels[start : start + ROW_BLOCK] = people[best]
        scores[start : start + ROW_BLOCK] = similarity[np.arange(len(best)), best]
    return labels, scores


def _vote(neighbour_labels: np.ndarray, similarity: np.ndarray, threshold: float):
    """Row-wise weighted vote among k neighbours (k is small, so a k x k label-equality cube
    is cheaper than grouping): returns the winning label and its voters' mean similarity."""
    voting = similarity > threshold
    weight = np.where(voting, similarity, 0.0)
    same = neighbour_labels[:, :, None] == neighbour_labels[:, None, :]
    totals = (same * weight[:, None, :]).sum(axis=2)  # support for each neighbour's label
    voters = (same & voting[:, None, :]).sum(axis=2)
    winner = np.where(voting, totals, -1.0).argmax(axis=1)
    rows = np.arange(len(winner))
    labels = np.where(voting.any(axis=1), neighbour_labels[rows, winner], UNASSIGNED)
    scores = totals[rows, winner] / np.maximum(voters[rows, winner], 1)
    return labels, scores.astype(np.float32)


def _top_k_above(similarity: np.ndarray, threshold: float, k: int):
    """Per row, the k best (column, similarity) above the threshold, padded with (-1, -inf).
    Only above-threshold pairs are sorted: far cheaper than argpartition over every column."""
    flat = np.flatnonzero(similarity > threshold)
    rows, columns = np.divmod(flat, similarity.shape[1])
    values = similarity.ravel()[flat]
    order = np.lexsort((columns, -values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    keep = rank < k
    nearest = np.full((len(similarity), k), -1, dtype=np.int64)
    nearest_similarity = np.full((len(similarity), k), -np.inf, dtype=np.float32)
    nearest[rows[keep], rank[keep]] = columns[keep]
    nearest_similarity[rows[keep], rank[keep]] = values[keep]
    return nearest, nearest_similarity


def _knn_vote(faces, members, person_labels, threshold: float, k: int):
    """Among the k most similar faces above the threshold, the person with the largest summed
    similarity wins; the score is the mean similarity of the winner's voters."""
    labels = np.empty(len(faces), dtype=np.int64)
    scores = np.empty(len(faces), dtype=np.float32)
    padded_labels = np.append(person_labels, UNASSIGNED)  # column -1 = padding
    for start in range(0, len(faces), ROW_BLOCK):
        similarity = faces[start : start + ROW_BLOCK] @ members.T
        nearest, nearest_similarity = _top_k_above(similarity, threshold, k)
        block = slice(start, start + len(similarity))
        labels[block], scores[block] = _vote(padded_labels[nearest], nearest_similarity, threshold)
        unvoted = labels[block] == UNASSIGNED  # report how close the best face came
        scores[block][unvoted] = similarity.max(axis=1)[unvoted]
    return labels, scores


def _keep_best_per_photo(labels: np.ndarray, scores: np.ndarray, photo_ids: Sequence) -> None:
    """Within one photo, at most one face per person: the highest score keeps it."""
    best_face: dict[tuple[object, int], int] = {}
    for face in np.argsort(-scores, kind="stable").tolist():
        if labels[face] == UNASSIGNED or photo_ids[face] is None:
            continue
        key = (photo_ids[face], int(labels[face]))
        if key in best_face:
            labels[face] = UNASSIGNED
        else:
            best_face[key] = face


def assign_to_people(
    new_embeddings: np.ndarray,
    person_embeddings: np.ndarray,
    person_labels: np.ndarray,
    *,
    threshold: float,
    method: str = "centroid",
    photo_ids: Sequence | None = None,
    knn_neighbours: int = KNN_NEIGHBOURS,
) -> tuple[np.ndarray, np.ndarray]:
    """Labels (m,) from ``person_labels`` or -1, and each face's best score (m,) even when it
    stays unassigned, so callers can show "almost matched" faces."""
    if method not in ASSIGNMENT_METHODS:
        raise ValueError(f"unknown assignment method {method!r}; use one of {ASSIGNMENT_METHODS}")
    faces = unit_rows(new_embeddings)
    person_labels = np.asarray(person_labels, dtype=np.int64)
    known = person_labels != UNASSIGNED  # faces not yet in any person do not define one
    members, person_labels = unit_rows(person_embeddings)[known], person_labels[known]
    if not len(faces) or not len(members):
        return np.full(len(faces), UNASSIGNED, np.int64), np.full(len(faces), -1.0, np.float32)
    if method == "knn":
        labels, scores = _knn_vote(faces, members, person_labels, threshold, knn_neighbours)
    else:
        summarise = _centroids if method == "centroid" else _medoids
        labels, scores = _nearest_representative(faces, *summarise(members, person_labels))
        labels[scores <= threshold] = UNASSIGNED
    if photo_ids is not None:
        if len(photo_ids) != len(faces):
            raise ValueError(f"{len(photo_ids)} photo ids for {len(faces)} faces")
        _keep_best_per_photo(labels, scores, photo_ids)
    return labels, scores
