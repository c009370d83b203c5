"""The merge stage over centred cluster means, on the real bbt/people faces."""
import numpy as np
import pytest

from recognition.clustering.merge import merge_clusters, merge_suggestions
from recognition.clustering.metrics import pairwise_scores
from recognition.ml.calibration import SFACE
from tests.recognition.helpers import analysed, bbt_people_paths


@pytest.fixture(scope="module")
def faces(face_pipeline):
    paths = bbt_people_paths()
    vectors = np.stack([max(analysed(p, face_pipeline), key=lambda f: f.area).embedding for p in paths])
    names = [p.split("/")[2] for p in paths]
    return vectors, np.unique(names, return_inverse=True)[1]


def _halves(truth: np.ndarray) -> np.ndarray:
    """Each person's photos 1-2 and 3-5 as two clusters."""
    return truth * 2 + (np.arange(len(truth)) % 5 >= 2)


def test_split_people_are_merged_back_and_nobody_else(faces):
    vectors, truth = faces
    merged = merge_clusters(vectors, _halves(truth), threshold=SFACE.merge_threshold)
    scores = pairwise_scores(truth, merged)
    assert (scores.precision, scores.recall) == (1.0, 1.0)
    assert set(merged.tolist()) <= set(_halves(truth).tolist())  # merged people keep one of their labels


def test_a_cannot_link_keeps_two_clusters_apart(faces):
    vectors, truth = faces
    labels = _halves(truth)
    amy_a, amy_b = np.flatnonzero(labels == 0)[0], np.flatnonzero(labels == 1)[0]
    merged = merge_clusters(vectors, labels, threshold=SFACE.merge_threshold, cannot_link=np.array([[amy_a, amy_b]]))
    assert merged[amy_a] != merged[amy_b]
    assert len(set(merged.tolist())) == 9  # every other person is whole again


def test_suggestions_are_ranked_and_respect_cannot_links(faces):
    vectors, truth = faces
    labels = _halves(truth)
    suggestions = merge_suggestions(vectors, labels, threshold=SFACE.suggest_threshold, limit=100)
    assert [s[2] for s in suggestions] == sorted((s[2] for s in suggestions), reverse=True)
    assert {frozenset(s[:2]) for s in suggestions[:8]} == {frozenset((2 * k, 2 * k + 1)) for k in range(8)}
    amy_a, amy_b = np.flatnonzero(labels == 0)[0], np.flatnonzero(labels == 1)[0]
    barred = merge_suggestions(vectors, labels, threshold=SFACE.suggest_threshold, limit=100,
                               cannot_link=np.array([[amy_a, amy_b]]))
    assert frozenset((0, 1)) not in {frozenset(s[:2]) for s in barred}
