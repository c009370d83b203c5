"""Which face of a query photo (a guest's selfie) is the person asking: ranked, caller may choose.

The largest face is not always the asker: a blurred or turned head in front, a friend leaning in.
Faces are ranked usable first, then by size weighted by how frontal and how sharp they are; the
first is the default and the caller can pick another by its index.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from recognition.ml.quality import MIN_SHARPNESS


def frontality(landmarks: np.ndarray) -> float:
    """1 for a frontal face, falling to 0 as the head turns (the nose moves off the eyes' midline).

    Yaw proxy: horizontal offset of the nose from the eyes' midpoint over the inter-ocular
    distance (about 0 frontal, 0.5 and more in profile, where one eye hides behind the nose).
    """
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    left_eye, right_eye, nose = points[0], points[1], points[2]
    eyes = float(np.linalg.norm(right_eye - left_eye))
    if eyes <= 0:
        return 0.0
    offset = abs(float(nose[0] - (left_eye[0] + right_eye[0]) / 2)) / eyes
    return float(max(0.0, 1.0 - 2.0 * offset))


def query_face_score(face) -> float:
    """Face side (px) x frontality x sharpness (saturating at twice the quality gate's minimum)."""
    side = float(np.sqrt(max(face.area, 0.0)))
    sharp = min(1.0, float(face.blur) / (2.0 * MIN_SHARPNESS))
    return side * (0.25 + 0.75 * frontality(face.landmarks)) * (0.25 + 0.75 * sharp)


def rank_query_faces(faces: Sequence) -> list:
    """Usable faces first, each group best query face first (see query_face_score)."""
    return sorted(faces, key=lambda face: (not face.usable, -query_face_score(face)))
