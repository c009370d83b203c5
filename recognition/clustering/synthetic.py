"""Synthetic events whose embeddings behave like real face embeddings, for tests and benchmarks.

Mixture model on the unit sphere: every identity has a centre; a face is its centre plus
isotropic noise whose size varies per face (pose, blur, lighting), re-normalised. For two faces
with noise energies u1, u2 (as a fraction of the centre's), cosine ~= 1 / sqrt((1+u1)(1+u2)),
so u in [0.2, 1.2] puts same-person cosines at about 0.45-0.8 (a tail lower). Centres share a
common direction, as real embeddings do, putting different-person cosines at about 0-0.3.
Identity sizes are heavy-tailed (a few people in many photos, many guests seen once or twice),
and faces are packed into photos of 1-6 distinct people, which gives cannot-link pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .constraints import cannot_link_from_groups

SHARED_DIRECTION_WEIGHT = 0.45  # centre cosines ~= w^2 / (1 + w^2) ~= 0.17
NOISE_ENERGY = (0.2, 1.2)


@dataclass(frozen=True)
class SyntheticEvent:
    embeddings: np.ndarray  # (n, dim) float32, unit rows
    labels: np.ndarray  # (n,) true identity
    photo_ids: np.ndarray  # (n,) photo each face came from

    def cannot_link(self) -> np.ndarray:
        return cannot_link_from_groups(self.photo_ids.tolist())


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)


def identity_sizes(faces: int, mean_faces_per_identity: float, rng) -> np.ndarray:
    """Lognormal sizes (median well below the mean) cut to add up to exactly ``faces``."""
    sigma = 1.0
    mu = np.log(mean_faces_per_identity) - sigma**2 / 2
    sizes = np.maximum(1, np.round(rng.lognormal(mu, sigma, size=faces)).astype(np.int64))
    cumulative = np.cumsum(sizes)
    count = int(np.searchsorted(cumulative, faces)) + 1
    sizes = sizes[:count]
    sizes[-1] -= int(cumulative[count - 1]) - faces
    return sizes[sizes > 0]


def _pack_into_photos(labels: np.ndarray, rng) -> np.ndarray:
    """Shuffle faces into photos of up to 6 people; a photo never shows someone twice."""
    photo_ids = np.empty(len(labels), dtype=np.int64)
    photo, people_in_photo, capacity = 0, set(), rng.integers(1, 7)
    for face in rng.permutation(len(labels)).tolist():
        if len(people_in_photo) >= capacity or labels[face] in people_in_photo:
            photo, people_in_photo, capacity = photo + 1, set(), rng.integers(1, 7)
        people_in_photo.add(labels[face])
        photo_ids[face] = photo
    return photo_ids


def synthetic_event(
    faces: int,
    *,
    dim: int = 128,
    mean_faces_per_identity: float = 20.0,
    noise_energy: tuple[float, float] = NOISE_ENERGY,
    seed: int = 0,
) -> SyntheticEvent:
    rng = np.random.default_rng(seed)
    sizes = identity_sizes(faces, mean_faces_per_identity, rng)
    shared = _unit(rng.standard_normal(dim))
    own_directions = _unit(rng.standard_normal((len(sizes), dim)))
    centres = _unit(SHARED_DIRECTION_WEIGHT * shared + own_directions)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    energy = rng.uniform(*noise_energy, size=faces)
    noise = _unit(rng.standard_normal((faces, dim))) * np.sqrt(energy)[:, None]
    embeddings = _unit(centres[labels] + noise).astype(np.float32)
    return SyntheticEvent(embeddings, labels, _pack_into_photos(labels.tolist(), rng))
