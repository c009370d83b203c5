"""Pair metrics, the pairs CSV, and the confidence calibration (pure functions, no models)."""
import math

import numpy as np
import pytest

from recognition.ml.calibration import DEFAULT_MATCH_THRESHOLD, SFACE, calibration_for, confidence
from recognition.ml.evaluation import (
    MISSING_SIMILARITY,
    Pair,
    PairsFileError,
    accuracy_at,
    best_accuracy,
    pair_scores,
    read_pairs_csv,
    roc_auc,
    summarize,
    tar_at_far,
)


def _brute_force_auc(scores, labels):
    """P(score of a same pair > score of a different pair), ties counting one half."""
    positives, negatives = scores[labels], scores[~labels]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def test_auc_equals_the_pairwise_definition_with_ties():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 6, 200) / 5.0  # many ties on purpose
    labels = rng.random(200) < 0.3
    assert math.isclose(roc_auc(scores, labels), _brute_force_auc(scores, labels))
    assert roc_auc(np.array([0.9, 0.1]), np.array([True, False])) == 1.0
    assert roc_auc(np.array([0.1, 0.9]), np.array([True, False])) == 0.0
    assert math.isnan(roc_auc(np.array([0.5]), np.array([True])))


def test_accuracy_counts_the_threshold_itself_as_same():
    scores, labels = np.array([0.2, 0.4, 0.363, 0.9]), np.array([False, False, True, True])
    assert accuracy_at(scores, labels, 0.363) == 0.75
    assert accuracy_at(scores, labels, 0.41) == 0.75
    assert accuracy_at(scores, labels, 0.3) == 0.75


def test_best_accuracy_finds_a_separating_threshold():
    scores, labels = np.array([0.1, 0.2, 0.5, 0.7]), np.array([False, False, True, True])
    accuracy, threshold = best_accuracy(scores, labels)
    assert accuracy == 1.0 and 0.2 < threshold < 0.5


def test_tar_at_far_allows_the_given_share_of_false_accepts():
    negatives = np.linspace(0.0, 0.5, 2000)  # 2000 different pairs: FAR 1e-3 allows 2 above
    positives = np.array([0.49, 0.4995, 0.6, 0.7])
    scores = np.concatenate([negatives, positives])
    labels = np.concatenate([np.zeros(2000, bool), np.ones(4, bool)])
    assert tar_at_far(scores, labels, 1e-3) == 0.75  # 0.49 falls below the 3rd-highest negative
    assert tar_at_far(scores, labels, 0.0) == 0.5


def test_pairs_csv_reads_any_label_spelling(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("a,b,label\nx.jpg, y.jpg ,YES\nx.jpg,z.jpg,no\nz.jpg,y.jpg,1\nq,r,False\n\nq,s,True\n")
    pairs = read_pairs_csv(path)
    assert [p.same for p in pairs] == [True, False, True, False, True]
    assert pairs[0] == Pair("x.jpg", "y.jpg", True)


def test_a_bad_label_names_its_line(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("a,b,label\nx.jpg,y.jpg,yes\nx.jpg,z.jpg,maybe\n")
    with pytest.raises(PairsFileError, match=r"line 3: label 'maybe'"):
        read_pairs_csv(path)


def test_a_short_row_names_its_line(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("a,b,label\nx.jpg,y.jpg\n")
    with pytest.raises(PairsFileError, match="line 2: expected 3 columns"):
        read_pairs_csv(path)


def test_pairs_with_a_missing_face_score_as_different():
    unit = np.array([1.0, 0.0])
    pairs = [Pair("a", "b", True), Pair("a", "gone", True), Pair("b", "c", False)]
    embeddings = {"a": unit, "b": unit, "c": np.array([0.0, 1.0]), "gone": None}
    scores, labels, missing = pair_scores(pairs, embeddings)
    assert list(scores) == [1.0, MISSING_SIMILARITY, 0.0]
    assert list(labels) == [True, True, False] and missing == 1
    metrics = summarize(scores, labels, threshold=0.5, missing_pairs=missing)
    assert metrics["pairs"] == 3 and metrics["pairs_with_missing_face"] == 1
    assert metrics["accuracy_at_default_threshold"] == pytest.approx(2 / 3)
    assert set(metrics) >= {"auc", "default_threshold", "best_accuracy", "best_threshold", "tar_at_far_1e-3"}


def test_confidence_is_monotonic_and_half_at_the_threshold():
    cosines = np.linspace(-1, 1, 401)
    values = [confidence(c) for c in cosines]
    assert all(0.0 <= v <= 100.0 for v in values)
    assert all(b >= a for a, b in zip(values, values[1:]))
    around = [confidence(c) for c in np.linspace(0.1, 0.6, 101)]  # strictly, where floats can tell
    assert all(b > a for a, b in zip(around, around[1:]))
    assert confidence(DEFAULT_MATCH_THRESHOLD) == pytest.approx(50.0)
    assert confidence(0.9) > 99 and confidence(0.0) < 1
    assert SFACE.is_match(DEFAULT_MATCH_THRESHOLD) and not SFACE.is_match(DEFAULT_MATCH_THRESHOLD - 1e-6)


def test_uncalibrated_embedders_are_refused():
    assert calibration_for("sface") is SFACE
    with pytest.raises(LookupError, match="calibrate_threshold"):
        calibration_for("facenet")
