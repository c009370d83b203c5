"""Quality gate: which detected faces are good enough to recognise people by.

Faces that fail are kept (they are still faces in the photo) but flagged, and are not used to
form people or to answer searches. Defaults were measured on the shared test photos; see
docs/recognition.md ("Quality gate") for the numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

# Smallest face (short side of the box, original px) we trust: below ~32 px the 112 px crop is
# >3.5x upsampled (eyes ~12 px apart). Measured faces: bbt/people 120-138 px, bbt/group 40-99.
MIN_FACE_PX = 32.0
# Faces from this size up to MIN_FACE_PX are "small": flagged (not searched, never a new person), but
# when sharp, confident and whole they may join an existing person with the embedder's stricter
# small_face_threshold (recognition.ml.calibration). Below it nothing is tried. Measured by
# scripts/calibrate_small_faces.py (lfw-dev shrunk; docs/recognition.md "Small faces").
MIN_SMALL_FACE_PX = 20.0
# The reason a small face gets; a face whose only reason starts with it may still join a person.
SMALL_FACE_PREFIX = "face too small to search"
# MTCNN's last stage keeps boxes >= 0.7; on the shared test photos all 71 real faces score >= 0.93
# (69 of them >= 0.99) and the spurious boxes seen (a tie, background bits) 0.71-0.82.
MIN_PROBABILITY = 0.90
# YuNet's score on the aligned crop (recognition.ml.verifier) below which a detection is not a face.
# scripts/calibrate_false_faces.py: the 1,166 usable real faces of lfw-dev, bbt and portraits score
# 0.589-0.950 (p1 0.841); detections left where faces were painted out score 0.00-0.27 (non-faces)
# and 0.75-0.87 (half faces at the mask's edge, which are faces).
MIN_VERIFIER_SCORE = 0.5
# Laplacian variance of the aligned crop's inner face: real faces on the test photos score 72-5800;
# blurred copies (Gaussian sigma 3 px per 600 px of photo) 3-46, median 5; sigma 5 px at most 12.
MIN_SHARPNESS = 30.0
# The inner face (eyes to mouth) of the aligned crop, as fractions of its size: sharpness is measured
# there, not on background or on the black fill where a close-up's crop runs past the photo's edge.
INNER_FACE = (0.27, 0.36, 0.73, 0.90)
# Landmarks may sit a little outside a tight crop; more than this (fraction of the box size)
# means MTCNN extrapolated an eye or mouth corner that is not in the photo: a partial face.
LANDMARK_TOLERANCE = 0.02


@dataclass(frozen=True)
class QualityThresholds:
    min_face_px: float = MIN_FACE_PX
    min_small_face_px: float = MIN_SMALL_FACE_PX
    min_probability: float = MIN_PROBABILITY
    min_sharpness: float = MIN_SHARPNESS
    min_verifier_score: float = MIN_VERIFIER_SCORE


@dataclass
class QualityReport:
    usable: bool
    blur: float
    reasons: list[str] = field(default_factory=list)


def laplacian_variance(gray: np.ndarray, valid: np.ndarray | None = None) -> float:
    """Variance of the 4-neighbour Laplacian (Pech-Pacheco et al. 2000): low means blurry.

    With ``valid``, only pixels whose whole stencil is valid count.
    """
    pixels = np.asarray(gray, dtype=np.float64)
    laplacian = (pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:]
                 - 4.0 * pixels[1:-1, 1:-1])
    if valid is not None:
        ok = (valid[1:-1, 1:-1] & valid[:-2, 1:-1] & valid[2:, 1:-1] & valid[1:-1, :-2] & valid[1:-1, 2:])
        laplacian = laplacian[ok]
    return float(laplacian.var()) if laplacian.size else 0.0


def sharpness(aligned: Image.Image, coverage: np.ndarray | None = None) -> float:
    """Laplacian variance of the inner face region of an aligned crop (photo pixels only)."""
    size = aligned.width
    left, top, right, bottom = (round(fraction * size) for fraction in INNER_FACE)
    gray = np.asarray(aligned.convert("L"))[top:bottom, left:right]
    valid = None if coverage is None else coverage[top:bottom, left:right]
    return laplacian_variance(gray, valid)


def assess_face(*, box: np.ndarray, probability: float, landmarks: np.ndarray,
                image_size: tuple[int, int], aligned: Image.Image, coverage: np.ndarray | None = None,
                thresholds: QualityThresholds = QualityThresholds(),
                verifier_score: float | None = None) -> QualityReport:
    """Whether a face is usable for recognition, with the reasons when it is not."""
    reasons = []
    if verifier_score is not None and verifier_score < thresholds.min_verifier_score:
        reasons.append(f"not a face (verifier {verifier_score:.2f} < {thresholds.min_verifier_score:.2f})")
    face_px = float(min(box[2] - box[0], box[3] - box[1]))
    if face_px < thresholds.min_small_face_px:
        reasons.append(f"face too small ({face_px:.0f} px < {thresholds.min_small_face_px:.0f} px)")
    elif face_px < thresholds.min_face_px:
        reasons.append(f"{SMALL_FACE_PREFIX} ({face_px:.0f} px < {thresholds.min_face_px:.0f} px):"
                       " may join a known person")
    if probability < thresholds.min_probability:
        reasons.append(f"low detection probability ({probability:.2f} < {thresholds.min_probability:.2f})")
    if not landmarks_inside(landmarks, box, image_size):
        reasons.append("partial face (landmarks outside the photo)")
    blur = sharpness(aligned, coverage)
    if blur < thresholds.min_sharpness:
        reasons.append(f"blurry (sharpness {blur:.0f} < {thresholds.min_sharpness:.0f})")
    return QualityReport(usable=not reasons, blur=blur, reasons=reasons)


def joins_known_people_only(reasons: list[str]) -> bool:
    """A flagged face whose only fault is its size: it may join an existing person (stricter threshold)."""
    return bool(reasons) and all(reason.startswith(SMALL_FACE_PREFIX) for reason in reasons)


def landmarks_inside(landmarks: np.ndarray, box: np.ndarray, image_size: tuple[int, int]) -> bool:
    """All 5 landmarks within the photo, allowing a small tolerance relative to the face size."""
    tolerance = LANDMARK_TOLERANCE * float(max(box[2] - box[0], box[3] - box[1]))
    points = np.asarray(landmarks, dtype=np.float64)
    width, height = image_size
    inside_x = (points[:, 0] >= -tolerance) & (points[:, 0] <= width - 1 + tolerance)
    inside_y = (points[:, 1] >= -tolerance) & (points[:, 1] <= height - 1 + tolerance)
    return bool(np.all(inside_x & inside_y))
