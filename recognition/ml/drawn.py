"""A face drawn by hand: landmarks found by the detector inside the drawn box, or placed from the
box alone when it finds none; then the same alignment, embedding and quality gate as any face.

Boxes are (x1, y1, x2, y2) in original coordinates (full resolution, EXIF orientation applied),
like every stored face (recognition.ml.images).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recognition.ml.detector import Detection, FaceDetector
from recognition.ml.images import DecodedImage, ImageSource
from recognition.ml.pipeline import DetectedFace, FacePipeline

# The detector sees the box with this much context on each side (fraction of the box's longer
# side): MTCNN's refinement stages need some forehead and chin around a face.
MARGIN = 0.5
# The crop is scaled so the drawn face is about this many px: MTCNN is most reliable on faces of
# 40-200 px, and a hand-drawn box is often around a small or blurred face.
CROP_FACE_PX = 160
CROP_MIN_FACE = 40  # min face size (px of the scaled crop) searched there: faces far smaller than the box are not it
# A detection is the drawn face when it overlaps the box at least this much (intersection over union).
MIN_OVERLAP = 0.3
# Where the 5 landmarks fall in a typical MTCNN face box (fractions of its width and height),
# for a box the detector finds nothing in (profile, heavy blur, a mask).
BOX_LANDMARKS = np.array([[0.31, 0.42], [0.69, 0.42], [0.50, 0.60], [0.35, 0.80], [0.65, 0.80]])
# The user vouches that the box is a face: the detector's confidence does not gate it (size,
# sharpness, partial face and the verifier still do).
PROBABILITY_REASON = "low detection probability"


@dataclass
class DrawnFace:
    face: DetectedFace
    landmarks_found: bool  # False: aligned from the box alone


def analyze_drawn_box(pipeline: FacePipeline, source: ImageSource, box: tuple[float, float, float, float]) -> DrawnFace:
    """The face inside ``box`` of one photo, embedded by the pipeline's embedder."""
    photo = pipeline.prepare(source)
    detection = find_in_box(pipeline.detector, photo.decoded, box)
    found = detection is not None
    if detection is None:
        detection = Detection(box=np.asarray(box, np.float64), probability=0.0, landmarks=box_landmarks(box))
    face = pipeline.faces_at(photo, [detection])[0]
    face.quality_reasons = [r for r in face.quality_reasons if not r.startswith(PROBABILITY_REASON)]
    face.usable = not face.quality_reasons
    return DrawnFace(face=face, landmarks_found=found)


def box_landmarks(box) -> np.ndarray:
    x1, y1, x2, y2 = (float(v) for v in box)
    return np.array([x1, y1]) + BOX_LANDMARKS * np.array([x2 - x1, y2 - y1])


def find_in_box(detector: FaceDetector, decoded: DecodedImage, box) -> Detection | None:
    """The detection that best overlaps ``box``, in original coordinates, or None."""
    x1, y1, x2, y2 = (float(v) for v in box)
    margin = MARGIN * max(x2 - x1, y2 - y1)
    width, height = decoded.original_size
    region = np.array([max(0.0, x1 - margin), max(0.0, y1 - margin), min(width, x2 + margin), min(height, y2 + margin)])
    scale_x, scale_y = decoded.scale
    left, top = int(region[0] / scale_x), int(region[1] / scale_y)
    crop = decoded.image.crop((left, top, max(left + 1, round(region[2] / scale_x)), max(top + 1, round(region[3] / scale_y))))
    zoom = CROP_FACE_PX / max(1.0, max(x2 - x1, y2 - y1) / scale_x)
    scaled = crop.resize((max(1, round(crop.width * zoom)), max(1, round(crop.height * zoom))))
    best, best_overlap = None, MIN_OVERLAP
    for found in detector.detect(scaled, min_face_size=CROP_MIN_FACE):
        to_original = np.array([scale_x, scale_y]) / zoom
        offset = np.array([left * scale_x, top * scale_y])
        landmarks = found.landmarks * to_original + offset
        candidate = Detection(box=found.box * np.tile(to_original, 2) + np.tile(offset, 2),
                              probability=found.probability, landmarks=landmarks)
        overlap = box_overlap(candidate.box, (x1, y1, x2, y2))
        if overlap >= best_overlap:
            best, best_overlap = candidate, overlap
    if best is not None:
        best.box = np.clip(best.box, 0, [width, height, width, height])
    return best


def box_overlap(a, b) -> float:
    """Intersection over union of two (x1, y1, x2, y2) boxes."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
