import itertools

import numpy as np
import pytest

from recognition import clustering
from recognition.clustering import (
    METHODS,
    assign_to_people,
    build_similarity_graph,
    cannot_link_from_groups,
    cluster_faces,
)
from recognition.clustering import graph as graph_module
from recognition.clustering.dbscan import cluster_dbscan
from recognition.clustering.constraints import canonical_labels, violated_pairs
from recognition.clustering.metrics import bcubed_scores, mean_silhouette, pairwise_scores
from recognition.clustering.synthetic import synthetic_event

ALL_METHODS = sorted(METHODS)


def unit(matrix):
    matrix = np.asarray(matrix, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)


def same_partition(first, second):
    return pairwise_scores(first, second).f1 == 1.0 and pairwise_scores(second, first).f1 == 1.0


@pytest.fixture(scope="module")
def separated_event():
    """10 identities, same-person cosines >= 0.69 and different-person <= 0.45."""
    return synthetic_event(
        600, dim=128, mean_faces_per_identity=25, noise_energy=(0.1, 0.3), seed=3
    )


# --- clustering ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ALL_METHODS)
def test_each_method_recovers_well_separated_identities(separated_event, method):
    labels = cluster_faces(
        separated_event.embeddings, threshold=0.55, method=method,
        cannot_link=separated_event.cannot_link(),
    )
    assert pairwise_scores(separated_event.labels, labels).f1 >= 0.99
    assert bcubed_scores(separated_event.labels, labels).f1 >= 0.99


@pytest.mark.parametrize("method", ALL_METHODS)
def test_cannot_link_holds_even_for_near_identical_faces(separated_event, method):
    embeddings = separated_event.embeddings.copy()
    twin = int(np.flatnonzero(separated_event.labels == 0)[1])
    embeddings[twin] = embeddings[0] + 1e-4  # the same face twice, say a mirror in the photo
    pairs = [(0, twin)] + [tuple(p) for p in separated_event.cannot_link()]
    labels = cluster_faces(embeddings, threshold=0.55, method=method, cannot_link=pairs)
    assert labels[0] != labels[twin]
    assert len(violated_pairs(labels, np.array(pairs))) == 0
    # Breaking the pair must not scatter the rest of the person (agglomerative lets the
    # twin's side keep the few faces that joined it before the two sides met).
    person = np.flatnonzero(separated_event.labels == 0)
    assert np.bincount(labels[person]).max() >= 0.9 * len(person)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_dense_random_cannot_links_are_never_violated(method):
    event = synthetic_event(400, dim=32, mean_faces_per_identity=40, seed=11)
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, 400, size=(600, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    labels = cluster_faces(event.embeddings, threshold=0.3, method=method, cannot_link=pairs)
    assert len(violated_pairs(labels, np.sort(pairs, axis=1))) == 0


@pytest.mark.parametrize("method", ALL_METHODS)
def test_output_is_deterministic(method):
    event = synthetic_event(500, dim=32, seed=5)
    runs = [
        cluster_faces(
            event.embeddings, threshold=0.45, method=method, cannot_link=event.cannot_link()
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0], runs[1])


@pytest.mark.parametrize("method", ALL_METHODS)
def test_a_face_seen_once_is_its_own_person(method):
    rng = np.random.default_rng(2)
    centre = unit(rng.standard_normal(16))
    group = unit(centre + 0.05 * rng.standard_normal((5, 16)))
    loner = unit(-centre)
    embeddings = np.vstack([group, loner[None]])
    labels = cluster_faces(embeddings, threshold=0.5, method=method)
    np.testing.assert_array_equal(labels, [0, 0, 0, 0, 0, 1])  # numbered largest first
    hidden = cluster_faces(embeddings, threshold=0.5, method=method, min_cluster_size=2)
    np.testing.assert_array_equal(hidden, [0, 0, 0, 0, 0, -1])


def test_input_validation():
    faces = unit(np.eye(3))
    with pytest.raises(ValueError, match="unknown clustering method"):
        cluster_faces(faces, threshold=0.5, method="kmeans")
    with pytest.raises(ValueError, match="outside"):
        cluster_faces(faces, threshold=0.5, cannot_link=[(0, 3)])
    with pytest.raises(ValueError, match="itself"):
        cluster_faces(faces, threshold=0.5, cannot_link=[(1, 1)])
    assert cluster_faces(np.empty((0, 8)), threshold=0.5).shape == (0,)
    assert clustering.DEFAULT_METHOD in METHODS


def _naive_average_linkage(embeddings, threshold):
    clusters = [[i] for i in range(len(embeddings))]
    similarity = embeddings @ embeddings.T
    while True:
        best, pair = threshold, None
        for a, b in itertools.combinations(range(len(clusters)), 2):
            value = similarity[np.ix_(clusters[a], clusters[b])].mean()
            if value > best:
                best, pair = value, (a, b)
        if pair is None:
            break
        clusters[pair[0]] += clusters.pop(pair[1])
    labels = np.empty(len(embeddings), dtype=int)
    for label, members in enumerate(clusters):
        labels[members] = label
    return labels


def test_average_linkage_is_exact_on_an_untruncated_graph():
    event = synthetic_event(70, dim=16, mean_faces_per_identity=6, seed=8)
    expected = _naive_average_linkage(event.embeddings.astype(np.float64), 0.35)
    labels = cluster_faces(event.embeddings, threshold=0.35, method="average_linkage",
                           max_neighbours=70)
    assert same_partition(expected, labels)


def test_dbscan_with_min_samples_two_is_threshold_connectivity():
    event = synthetic_event(120, dim=16, mean_faces_per_identity=8, seed=4)
    linked = event.embeddings @ event.embeddings.T > 0.4
    expected = np.arange(120)
    for _ in range(120):  # propagate the smallest id through the thresholded matrix
        expected = np.where(linked, expected[None, :], 10**9).min(axis=1).clip(max=expected)
    labels = cluster_faces(event.embeddings, threshold=0.4, method="dbscan", max_neighbours=120)
    assert same_partition(expected, labels)


def test_dbscan_border_faces_respect_cannot_link():
    faces = unit([[1, 0], [1, 0.05], [1, -0.05], [1, 0.3]])  # 3 is a border point of 0..2
    graph = build_similarity_graph(faces, threshold=0.97)
    core_only = np.zeros((0, 2), dtype=np.int64)
    labels = cluster_dbscan(graph, faces, cannot_link=core_only, min_samples=3)
    assert len(set(labels.tolist())) == 1
    labels = cluster_dbscan(graph, faces, cannot_link=np.array([[0, 3]]), min_samples=3)
    assert labels[3] != labels[0] and len(set(labels[:3].tolist())) == 1


# --- graph -----------------------------------------------------------------------------------


def _edge_set(graph):
    low, high, _ = graph.undirected_edges()
    return set(zip(low.tolist(), high.tolist()))


@pytest.mark.parametrize("block_rows, block_columns", [(64, 96), (96, 40), (512, 512)])
def test_graph_is_the_exact_epsilon_graph_across_tiles(monkeypatch, block_rows, block_columns):
    monkeypatch.setattr(graph_module, "BLOCK_ROWS", block_rows)
    monkeypatch.setattr(graph_module, "BLOCK_COLUMNS", block_columns)
    event = synthetic_event(300, dim=16, mean_faces_per_identity=10, seed=1)
    graph = build_similarity_graph(event.embeddings, threshold=0.4, max_neighbours=300)
    similarity = event.embeddings @ event.embeddings.T
    low, high = np.nonzero(np.triu(similarity > 0.4, k=1))
    assert _edge_set(graph) == set(zip(low.tolist(), high.tolist()))
    assert not graph.truncated
    for node in (0, 150, 299):
        neighbours, weights = graph.neighbours(node)
        assert np.all(np.diff(weights) <= 0)
        np.testing.assert_allclose(weights, similarity[node, neighbours], rtol=1e-5)


@pytest.mark.parametrize("threshold", [0.4, -1.0])  # -1.0 forces the dense-tile path
def test_graph_keeps_each_face_top_k(monkeypatch, threshold):
    monkeypatch.setattr(graph_module, "BLOCK_ROWS", 64)
    monkeypatch.setattr(graph_module, "BLOCK_COLUMNS", 128)
    event = synthetic_event(300, dim=16, mean_faces_per_identity=30, seed=2)
    graph = build_similarity_graph(event.embeddings, threshold=threshold, max_neighbours=4)
    similarity = event.embeddings @ event.embeddings.T
    np.fill_diagonal(similarity, -np.inf)
    edges = _edge_set(graph)
    for node in range(300):
        for other in np.argsort(-similarity[node], kind="stable")[:4].tolist():
            if similarity[node, other] > threshold:
                assert (min(node, other), max(node, other)) in edges
    assert graph.truncated
    assert graph.degree().max() < 300


# --- assignment ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def people_and_newcomers():
    event = synthetic_event(
        900, dim=32, mean_faces_per_identity=30, noise_energy=(0.1, 0.4), seed=9
    )
    rng = np.random.default_rng(1)
    is_new = np.zeros(len(event.labels), dtype=bool)
    for person in np.unique(event.labels):
        members = np.flatnonzero(event.labels == person)
        if len(members) >= 3:
            is_new[rng.choice(members)] = True
    return event, is_new


@pytest.mark.parametrize("method", ["centroid", "medoid", "knn"])
def test_assignment_finds_the_right_person(people_and_newcomers, method):
    event, is_new = people_and_newcomers
    labels, scores = assign_to_people(
        event.embeddings[is_new], event.embeddings[~is_new], event.labels[~is_new],
        threshold=0.5, method=method,
    )
    np.testing.assert_array_equal(labels, event.labels[is_new])
    assert np.all(scores > 0.5)


@pytest.mark.parametrize("method", ["centroid", "medoid", "knn"])
def test_assignment_respects_the_threshold(people_and_newcomers, method):
    event, is_new = people_and_newcomers
    stranger = unit(np.random.default_rng(4).standard_normal((3, 32)))
    labels, scores = assign_to_people(
        stranger, event.embeddings[~is_new], event.labels[~is_new], threshold=0.5, method=method
    )
    np.testing.assert_array_equal(labels, [-1, -1, -1])
    assert np.all(scores <= 0.5)
    everything, _ = assign_to_people(
        stranger, event.embeddings[~is_new], event.labels[~is_new], threshold=-1.0, method=method
    )
    assert np.all(everything >= 0)


@pytest.mark.parametrize("method", ["centroid", "medoid", "knn"])
def test_assignment_keeps_one_face_per_person_per_photo(people_and_newcomers, method):
    event, is_new = people_and_newcomers
    members = event.embeddings[~is_new]
    person = event.labels[~is_new][0]
    weaker = unit(members[0] + 0.3 * unit(np.random.default_rng(6).standard_normal(32)))
    faces = np.vstack([weaker, members[0]])  # the same person twice in one photo
    labels, scores = assign_to_people(
        faces, members, event.labels[~is_new], threshold=0.3, method=method, photo_ids=[7, 7]
    )
    assert scores[1] > scores[0]
    np.testing.assert_array_equal(labels, [-1, person])
    apart, _ = assign_to_people(
        faces, members, event.labels[~is_new], threshold=0.3, method=method, photo_ids=[7, 8]
    )
    np.testing.assert_array_equal(apart, [person, person])


def test_assignment_ignores_unassigned_existing_faces_and_handles_empty_input():
    members = unit(np.eye(4))
    labels, _ = assign_to_people(members[:1], members, [-1, 0, 1, 2], threshold=0.5)
    assert labels.tolist() == [-1]
    labels, scores = assign_to_people(np.empty((0, 4)), members, [0, 1, 2, 3], threshold=0.5)
    assert labels.shape == scores.shape == (0,)
    with pytest.raises(ValueError, match="unknown assignment method"):
        assign_to_people(members, members, [0, 1, 2, 3], threshold=0.5, method="vote")


def test_medoid_is_the_member_with_the_largest_total_similarity():
    members = unit([[1, 0], [1, 0.1], [1, 0.2], [1, 0.9], [0.5, 1]])
    medoid = members[int(np.argmax((members @ members.T).sum(axis=1)))]
    probe = unit([[1, 0.4]])
    _, scores = assign_to_people(probe, members, [0] * 5, threshold=0, method="medoid")
    assert scores[0] == pytest.approx(float(probe[0] @ medoid), abs=1e-6)


# --- constraints and labels -------------------------------------------------------------------


def test_cannot_link_from_photo_groups():
    pairs = cannot_link_from_groups(["a", "b", "a", None, "a", None])
    assert sorted(map(tuple, pairs.tolist())) == [(0, 2), (0, 4), (2, 4)]


def test_canonical_labels_order_by_size_then_first_face():
    np.testing.assert_array_equal(canonical_labels(np.array([5, 9, 9, 7, -1, 7, 7])),
                                  [2, 1, 1, 0, -1, 0, 0])


# --- metrics -----------------------------------------------------------------------------------


def test_pairwise_scores_by_hand():
    truth = [0, 0, 0, 1, 1]
    predicted = [0, 0, 1, 1, 1]
    # predicted pairs: (0,1) (2,3) (2,4) (3,4) -> correct (0,1) (3,4); true pairs: 3 + 1 = 4
    scores = pairwise_scores(truth, predicted)
    assert scores.precision == pytest.approx(2 / 4)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.f1 == pytest.approx(0.5)


def test_unassigned_faces_count_as_singletons():
    scores = pairwise_scores([0, 0, 1], [-1, -1, -1])
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 0.0, 0.0)
    assert pairwise_scores([0, 1, 2], [-1, -1, -1]).f1 == 1.0
    assert bcubed_scores([0, 0], [-1, -1]).recall == pytest.approx(0.5)


def test_bcubed_scores_by_hand():
    truth = [0, 0, 0, 1, 1]
    predicted = [0, 0, 1, 1, 1]
    # precision per face: 2/2 2/2 1/3 2/3 2/3 ; recall: 2/3 2/3 1/3 2/2 2/2
    scores = bcubed_scores(truth, predicted)
    assert scores.precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert scores.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)


def test_silhouette_by_hand():
    faces = unit([[1, 0], [1, 0], [0, 1], [0, 1]])
    assert mean_silhouette(faces, [0, 0, 1, 1]) == pytest.approx(1.0)  # a = 0, b = 1
    faces = unit([[1, 0], [0.6, 0.8], [0, 1]])
    # face 0: a = 1 - 0.6 = 0.4, b = 1 - 0 = 1 -> 0.6; face 1: a = 0.4, b = 1 - 0.8 = 0.2 -> -0.5
    assert mean_silhouette(faces, [0, 0, 1]) == pytest.approx((0.6 - 0.5 + 0) / 3)
    assert np.isnan(mean_silhouette(faces, [0, 0, 0]))


def test_silhouette_sample_matches_full_on_small_input():
    event = synthetic_event(300, dim=16, seed=3)
    full = mean_silhouette(event.embeddings, event.labels)
    sampled = mean_silhouette(event.embeddings, event.labels, sample_size=299)
    assert abs(full - sampled) < 0.05
