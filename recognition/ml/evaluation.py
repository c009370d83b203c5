"""Scoring face verification on labelled pairs (pure functions, no models)."""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np

MISSING_SIMILARITY = -1.0  # a pair with an undetected face is scored as "certainly different"
_TRUE_LABELS = {"yes", "1", "true"}
_FALSE_LABELS = {"no", "0", "false"}


class PairsFileError(ValueError):
    """The pairs CSV cannot be used; the message names the line."""


@dataclass(frozen=True)
class Pair:
    image_a: str
    image_b: str
    same: bool


def parse_label(text: str) -> bool | None:
    """yes/no, 1/0, true/false (any case) -> bool; anything else -> None."""
    value = text.strip().lower()
    if value in _TRUE_LABELS:
        return True
    if value in _FALSE_LABELS:
        return False
    return None


def read_pairs_csv(path: Path | str) -> list[Pair]:
    """Rows of image A, image B, label (yes/no, 1/0, true/false) after one header line."""
    pairs = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for line_number, row in enumerate(csv.reader(handle), start=1):
            if not row or all(not cell.strip() for cell in row):
                continue
            if line_number == 1:
                continue  # the header
            if len(row) < 3:
                raise PairsFileError(f"{path}, line {line_number}: expected 3 columns (image A, image B, label)")
            same = parse_label(row[2])
            if same is None:
                raise PairsFileError(
                    f"{path}, line {line_number}: label {row[2]!r} is not one of yes/no, 1/0, true/false")
            pairs.append(Pair(row[0].strip(), row[1].strip(), same))
    return pairs


def pair_scores(pairs: Iterable[Pair], embeddings: Mapping[str, np.ndarray | None]) -> tuple[np.ndarray, np.ndarray, int]:
    """Cosine per pair (MISSING_SIMILARITY when a face is missing), labels, number of such pairs."""
    scores, labels, missing = [], [], 0
    for pair in pairs:
        a, b = embeddings.get(pair.image_a), embeddings.get(pair.image_b)
        if a is None or b is None:
            missing += 1
            scores.append(MISSING_SIMILARITY)
        else:
            scores.append(float(np.dot(a, b)))
        labels.append(pair.same)
    return np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=bool), missing


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve via the Mann-Whitney rank statistic (ties get average ranks)."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=bool)
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        return math.nan
    ranks = _average_ranks(scores)
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    ranks = np.empty(len(values), dtype=np.float64)
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def accuracy_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    """Fraction of pairs decided right when "same" means similarity >= threshold."""
    scores, labels = np.asarray(scores), np.asarray(labels, dtype=bool)
    return float(np.mean((scores >= threshold) == labels)) if len(scores) else math.nan


def best_accuracy(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The highest accuracy over all thresholds and the threshold (midpoint between scores) giving it."""
    values = np.unique(np.asarray(scores, dtype=np.float64))
    if len(values) == 0:
        return math.nan, math.nan
    candidates = np.concatenate([[values[0] - 1e-6], (values[:-1] + values[1:]) / 2, [values[-1] + 1e-6]])
    accuracies = [accuracy_at(scores, labels, t) for t in candidates]
    best = int(np.argmax(accuracies))
    return float(accuracies[best]), float(candidates[best])


def tar_at_far(scores: np.ndarray, labels: np.ndarray, far: float = 1e-3) -> float:
    """True accept rate at the strictest threshold whose false accept rate is at most ``far``.

    With fewer than 1/far different pairs this means no false accept at all.
    """
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=bool)
    negatives = np.sort(scores[~labels])[::-1]
    if len(negatives) == 0 or not labels.any():
        return math.nan
    allowed = int(math.floor(far * len(negatives)))
    threshold = negatives[allowed] if allowed < len(negatives) else -math.inf
    return float(np.mean(scores[labels] > threshold))


def summarize(scores: np.ndarray, labels: np.ndarray, *, threshold: float, missing_pairs: int = 0) -> dict:
    """The metrics evaluate_recognition prints (``missing_pairs``: pairs scored as missing)."""
    best, best_threshold = best_accuracy(scores, labels)
    return {
        "pairs": int(len(scores)),
        "same_pairs": int(np.sum(labels)),
        "different_pairs": int(len(labels) - np.sum(labels)),
        "pairs_with_missing_face": int(missing_pairs),
        "auc": roc_auc(scores, labels),
        "default_threshold": float(threshold),
        "accuracy_at_default_threshold": accuracy_at(scores, labels, threshold),
        "best_accuracy": best,
        "best_threshold": best_threshold,
        "tar_at_far_1e-3": tar_at_far(scores, labels, 1e-3),
    }
