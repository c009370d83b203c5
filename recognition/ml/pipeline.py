"""The face pipeline the Django side calls: decode -> detect -> align -> embed -> quality.

Detection runs on a reduced decode (long side ``detect_long_side``); boxes and landmarks are
mapped back to original coordinates, and each face is aligned from a decode with at least the
resolution its 112 px crop needs (the reduced one when enough, else a larger one).
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import numpy as np
import torch
from PIL import Image

from recognition.ml.align import align_face, source_coverage, template_scale
from recognition.ml.config import MLConfig
from recognition.ml.detector import MIN_FACE_SIZE, Detection, FaceDetector, detection_plan
from recognition.ml.embedders import Embedder, get_embedder
from recognition.ml.images import (DecodedImage, ImageDecodeError, ImageSource, ImageTooCostly, decode, fit_long_side,
                                   read_source)
from recognition.ml.quality import QualityThresholds, assess_face
from recognition.ml.verifier import FaceVerifier

# Faces with a short side of at least this many original pixels are found in any photo (the back
# row of a 24 MP group shot has faces of 60-120 px): the detection plan picks the resolution.
MIN_FACE_PX = 48
# Every photo is decoded once, at least MLConfig.work_long_side (the web preview's size), and
# detection resizes that decode down: the same steps whichever path a photo takes (ingest batch,
# single photo, sort_photos), so a photo always gives the same faces and embeddings.


@dataclass
class DetectedFace:
    """One face, in original pixel coordinates (full resolution, EXIF orientation applied).

    ``box`` is clipped to the photo; ``landmarks`` are not (they may lie just outside it).
    """

    box: tuple[float, float, float, float]
    probability: float
    landmarks: np.ndarray
    embedding: np.ndarray
    usable: bool
    quality_reasons: list[str] = field(default_factory=list)
    blur: float = 0.0
    aligned: Image.Image | None = None

    @property
    def area(self) -> float:
        return max(0.0, self.box[2] - self.box[0]) * max(0.0, self.box[3] - self.box[1])


@dataclass
class PhotoInput:
    """One photo ready for analysis: its bytes and one reduced decode (the "work" decode).

    The ingest engine makes the work decode large enough for the web preview too, so a photo is
    decoded once for everything; detection resizes it down, alignment uses it where it has enough
    pixels for the face (else the bytes are decoded again, larger, for that photo only).
    """

    raw: bytes | Image.Image
    decoded: DecodedImage
    detections: list[Detection] = field(default_factory=list)


class FacePipeline:
    """Detector + embedder + quality gate. Thread-safe for inference; build once per process."""

    def __init__(self, config: MLConfig, *, embedder_name: str | None = None, detect_long_side: int | None = None,
                 device: torch.device | str | None = None,
                 quality: QualityThresholds = QualityThresholds()):
        self.config = config
        self.embedder: Embedder = get_embedder(config, embedder_name)
        self.detector = FaceDetector(device, torch_threads=config.torch_threads)
        self.detect_long_side = detect_long_side
        self.quality = quality
        self.verifier = FaceVerifier()  # second opinion on each detection (false faces)

    def analyze(self, image_source: ImageSource) -> list[DetectedFace]:
        """All faces in one photo; raises ImageDecodeError for unreadable input."""
        return self.analyze_many([image_source])[0]

    def analyze_many(self, sources: Sequence[ImageSource]) -> list[list[DetectedFace]]:
        """Faces per photo; detection batched by size, embedding batched across all photos.

        Raises ImageDecodeError for the first unreadable source (see ``analyze_each``).
        """
        return self._analyze([self._decode(source) for source in sources])

    def analyze_each(self, sources: Iterable[ImageSource], *, batch_size: int = 8
                     ) -> Iterator[tuple[ImageSource, list[DetectedFace] | ImageDecodeError]]:
        """(source, faces) for each source in order, or (source, error) where it cannot be decoded.

        Photos are analysed ``batch_size`` at a time, so a large folder never sits in memory.
        """
        batch: list[tuple[ImageSource, PhotoInput | ImageDecodeError]] = []
        for source in sources:
            batch.append((source, self._try_decode(source)))
            if len(batch) >= batch_size:
                yield from self._analyze_batch(batch)
                batch = []
        yield from self._analyze_batch(batch)

    def _analyze_batch(self, batch):
        photos = [item for _, item in batch if isinstance(item, PhotoInput)]
        results = iter(self._analyze(photos))
        for source, item in batch:
            yield source, (item if isinstance(item, ImageDecodeError) else next(results))

    def _try_decode(self, source: ImageSource) -> "PhotoInput | ImageDecodeError":
        try:
            return self._decode(source)
        except ImageDecodeError as error:
            return error

    def analyze_inputs(self, photos: list[PhotoInput]) -> list[list[DetectedFace]]:
        """Faces per prepared photo (see ``prepare``): detection batched, one embedding pass."""
        return self._analyze(photos)

    def prepare(self, source: ImageSource) -> PhotoInput:
        """Decode once: at least the work size (previews) and what detection needs, never more."""
        raw = read_source(source)
        return PhotoInput(raw=raw, decoded=decode(raw, long_side=lambda size: max(
            self.config.work_long_side, self.detection_side(size)), **self._limits()))

    def _limits(self) -> dict:
        return {"max_pixels": self.config.max_pixels, "limits": self.config.decode_limits}

    def detection_side(self, original_size: tuple[int, int]) -> int:
        """Long side of the image MTCNN runs on, for a photo of this (upright) size."""
        return self.detection_plan(original_size)[0]

    def detection_plan(self, original_size: tuple[int, int]) -> tuple[int, int]:
        """(long side, min face size) so that faces of MIN_FACE_PX in the original are found."""
        if self.detect_long_side is not None:  # a fixed size asked for (tests, comparisons)
            return min(max(original_size), self.detect_long_side), MIN_FACE_SIZE
        return detection_plan(original_size, min_face_px=MIN_FACE_PX)

    def _detection_image(self, photo: PhotoInput) -> tuple[DecodedImage, int]:
        """The work decode resized to the plan's side, and the plan's min face size."""
        side, min_face = self.detection_plan(photo.decoded.original_size)
        image = photo.decoded.image
        if max(image.size) > side:
            image = fit_long_side(image, side)
        return DecodedImage(image=image, original_size=photo.decoded.original_size), min_face

    def _analyze(self, photos: list[PhotoInput]) -> list[list[DetectedFace]]:
        if not photos:
            return []
        views, min_faces = zip(*(self._detection_image(photo) for photo in photos))
        found = self.detector.detect_batch([view.image for view in views], min_face_size=list(min_faces))
        for photo, view, detections in zip(photos, views, found):
            photo.detections = [_to_original(d, view) for d in detections]
        crops = [self._align_photo(photo) for photo in photos]
        flat = [crop for photo_crops in crops for crop in photo_crops]
        vectors = iter(self.embedder.embed(flat))
        return [[self._face(d, crop, next(vectors), photo.decoded.original_size)
                 for d, crop in zip(photo.detections, photo_crops)]
                for photo, photo_crops in zip(photos, crops)]

    def faces_at(self, photo: PhotoInput, detections: list[Detection]) -> list[DetectedFace]:
        """Align, embed and assess the given detections (original coordinates) of one prepared photo:
        the steps every detected face takes, for faces located otherwise (drawn by hand, ml.drawn)."""
        photo.detections = list(detections)
        crops = self._align_photo(photo)
        vectors = self.embedder.embed(crops)
        return [self._face(d, crop, vector, photo.decoded.original_size)
                for d, crop, vector in zip(photo.detections, crops, vectors)]

    def _decode(self, source: ImageSource) -> PhotoInput:
        return self.prepare(source)

    def _align_photo(self, photo: PhotoInput) -> list[Image.Image]:
        """Aligned crops, from a decode with enough pixels that no crop is upsampled needlessly."""
        if not photo.detections:
            return []
        template = self.embedder.template
        needed = max(template_scale(d.landmarks, template) for d in photo.detections)
        source = photo.decoded
        original_long = max(source.original_size)
        wanted_long = math.ceil(original_long * min(1.0, needed))
        if wanted_long > max(source.image.size):
            try:
                source = decode(photo.raw, long_side=None if wanted_long >= original_long else wanted_long,
                                once_bounded=True, **self._limits())  # prepare() decoded these bytes in a bounded child
            except ImageTooCostly:
                pass  # past the decode budget: align from the work decode's pixels
        scale = np.array(source.scale)
        return [align_face(source.image, d.landmarks / scale, template) for d in photo.detections]

    def _face(self, detection: Detection, aligned: Image.Image, embedding: np.ndarray,
              image_size: tuple[int, int]) -> DetectedFace:
        coverage = source_coverage(detection.landmarks, image_size, self.embedder.template)
        report = assess_face(box=detection.box, probability=detection.probability,
                             landmarks=detection.landmarks, image_size=image_size,
                             aligned=aligned, coverage=coverage, thresholds=self.quality,
                             verifier_score=self.verifier.score(aligned))
        return DetectedFace(
            box=tuple(float(v) for v in detection.box), probability=detection.probability,
            landmarks=detection.landmarks, embedding=embedding.astype(np.float32),
            usable=report.usable, quality_reasons=report.reasons, blur=report.blur, aligned=aligned)


def _to_original(detection: Detection, decoded: DecodedImage) -> Detection:
    width, height = decoded.original_size
    box = np.clip(decoded.to_original(detection.box), 0, [width, height, width, height])
    return Detection(box=box, probability=detection.probability,
                     landmarks=decoded.to_original(detection.landmarks))


def largest_face(faces: Iterable[DetectedFace], *, prefer_usable: bool = True) -> DetectedFace | None:
    """The biggest face (e.g. the selfie's owner when others are in the background).

    With ``prefer_usable`` a usable face wins; a flagged one is returned only if no usable one exists.
    """
    faces = list(faces)
    if prefer_usable and any(face.usable for face in faces):
        faces = [face for face in faces if face.usable]
    return max(faces, key=lambda face: face.area, default=None)


_pipelines: dict[MLConfig, FacePipeline] = {}
_pipeline_lock = threading.Lock()


def get_pipeline(config: MLConfig) -> FacePipeline:
    """The process-wide pipeline for this configuration (models load once, on first use)."""
    with _pipeline_lock:
        if config not in _pipelines:
            _pipelines[config] = FacePipeline(config)
        return _pipelines[config]
