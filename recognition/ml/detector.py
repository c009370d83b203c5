"""Face detection with MTCNN (facenet-pytorch's nets and weights, our batched cascade in mtcnn.py)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
from PIL import Image

from recognition.ml.mtcnn import STAGE_THRESHOLDS, Faces, MtcnnCascade
from recognition.ml.runtime import configure_torch_threads, default_device

# MTCNN's own default (Zhang et al. 2016, as in facenet-pytorch): smallest face searched, in px of
# the detection image. The stage thresholds (0.6, 0.7, 0.7) live with the cascade (mtcnn.py).
MIN_FACE_SIZE = 20
# facenet-pytorch's refinement stages crop a candidate box clipped to the image and stretch it to
# 24/48 px, where the reference MTCNN zero-pads the part outside: a face cut by the border gets a
# distorted crop, bad landmarks, or is missed. So when a box crosses the border (or nothing sure
# is found) we detect again on the photo framed in black, this fraction of its short side wide.
# Measured on bbt/people (faces fill the 150 px frame): plain pass 39/40 found, pair AUC 0.936;
# with the margin 40/40 and AUC 1.000 (0.2-0.4 all reach 1.000; 0.1 gives 0.9996).
BORDER_MARGIN = 0.25
# Detection plan (see detection_plan): photos up to BASE_LONG_SIDE are detected at full decode
# with MIN_FACE_SIZE, as before; larger ones at the smallest of DETECT_LONG_SIDES where the
# smallest wanted face gets PLAN_FACE_PX px. P-net's cost goes with (long side / min face size)^2.
# MTCNN finds faces down to ~0.6x its min face size, so a 12 px face (P-net's window) is found with
# min face 20 at ~half the cost of min face 12 on the same image. Measured on 8 composites, faces
# >= 48 px, by scripts/bench_detector.py (docs/recognition.md "Detection at scale").
BASE_LONG_SIDE = 1024
PLAN_FACE_PX = 12
# A few fixed long sides: photos from one camera then decode to equal sizes and share P-net
# passes without letterbox padding.
DETECT_LONG_SIDES = (1024, 1280, 1536, 2048, 2560, 3072, 4096, 6144)
# Below this no detection counts as sure, and an image with none gets the margin pass too.
SURE_PROBABILITY = 0.90


@dataclass
class Detection:
    """One face: box (x1, y1, x2, y2) and landmarks (5, 2) in the coordinates of the input image."""

    box: np.ndarray
    probability: float
    landmarks: np.ndarray

    def shifted(self, dx: float, dy: float) -> "Detection":
        offset = np.array([dx, dy])
        return Detection(self.box - np.tile(offset, 2), self.probability, self.landmarks - offset)


class FaceDetector:
    """MTCNN on the given device (CUDA when available) returning boxes, scores and 5 landmarks."""

    def __init__(self, device: torch.device | str | None = None, *, min_face_size: int = MIN_FACE_SIZE,
                 border_margin: float = BORDER_MARGIN, half: bool = False, torch_threads: int | None = None):
        configure_torch_threads(torch_threads)
        self.device = default_device(device)
        self.min_face_size = min_face_size
        self.border_margin = border_margin
        self.cascade = MtcnnCascade(self.device, half=half, thresholds=STAGE_THRESHOLDS)

    def detect(self, image: Image.Image, *, min_face_size: float | None = None) -> list[Detection]:
        """Faces in one RGB image, highest probability first."""
        return self.detect_batch([image], min_face_size=min_face_size)[0]

    def detect_batch(self, images: Sequence[Image.Image], *,
                     min_face_size: float | Sequence[float] | None = None) -> list[list[Detection]]:
        """Faces in each image, highest probability first; all images share each cascade pass.

        ``min_face_size`` (px of the given image; one for all or one per image, e.g. from
        ``detection_plan``) defaults to the detector's own.
        """
        images = list(images)
        if min_face_size is None or isinstance(min_face_size, (int, float)):
            min_face_size = [min_face_size or self.min_face_size] * len(images)
        results = self._run(images, list(min_face_size))
        again = [i for i, image in enumerate(images)
                 if self.border_margin > 0 and _needs_margin(results[i], image, large=max(image.size) > BASE_LONG_SIDE)]
        if again:
            framed = self._detect_with_margin([images[i] for i in again], [min_face_size[i] for i in again])
            for index, found in zip(again, framed):
                results[index] = found
        return results

    def _detect_with_margin(self, images: list[Image.Image], min_face_sizes: list[float]) -> list[list[Detection]]:
        margins = [max(1, round(min(image.size) * self.border_margin)) for image in images]
        framed = []
        for image, margin in zip(images, margins):
            canvas = Image.new("RGB", (image.width + 2 * margin, image.height + 2 * margin))
            canvas.paste(image, (margin, margin))
            framed.append(canvas)
        return [[detection.shifted(margin, margin) for detection in found]
                for margin, found in zip(margins, self._run(framed, min_face_sizes))]

    def _run(self, images: list[Image.Image], min_face_sizes: list[float]) -> list[list[Detection]]:
        return [_detections(faces) for faces in self.cascade.detect(images, min_face_sizes)]


def _detections(faces: Faces) -> list[Detection]:
    found = [Detection(box, float(prob), marks)
             for box, prob, marks in zip(faces.boxes, faces.probs, faces.landmarks)]
    return sorted(found, key=lambda d: -d.probability)


def _needs_margin(found: list[Detection], image: Image.Image, *, large: bool = False) -> bool:
    """No sure face, or a face box crossing the border (its refinement crops were distorted).

    A large detection image (a big photo's plan) with no sure face is a photo without people far
    more often than a face filling the frame: the framed pass (2.25x the pixels) is skipped there.
    """
    if not large and not any(d.probability >= SURE_PROBABILITY for d in found):
        return True
    return any(d.box[0] < 0 or d.box[1] < 0 or d.box[2] > image.width or d.box[3] > image.height
               for d in found)


def detection_plan(original_size: tuple[int, int], *, min_face_px: int = 48, face_px: float = PLAN_FACE_PX,
                   min_face_size: int = MIN_FACE_SIZE) -> tuple[int, int]:
    """(detect_long_side, min_face_size): decode to that long side, pass that to ``detect_batch``.

    Faces of ``min_face_px`` in the original get ``face_px`` px in the detection image, searched
    with ``min_face_size`` (``face_px == min_face_size`` is the textbook plan: no reliance on MTCNN
    finding faces under its min face size).
    """
    original_long = max(original_size)
    if original_long <= BASE_LONG_SIDE:
        return original_long, MIN_FACE_SIZE
    needed = original_long * face_px / min_face_px
    rung = next((side for side in DETECT_LONG_SIDES if side >= needed), 512 * math.ceil(needed / 512))
    long_side = min(rung, original_long)
    # A rung above the need gives faces more px: the min face may grow with them, up to the default.
    grown = int(min_face_size * min_face_px * long_side / original_long / face_px)
    return long_side, max(min_face_size, min(MIN_FACE_SIZE, grown))
