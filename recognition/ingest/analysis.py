"""Stage 2 of a batch: faces for every loaded photo, detection batched and one embedding pass.

A photo that makes the models raise takes only itself down: the batch is retried one photo at a
time and the one that still raises ends failed with the error as its reason.
"""
import logging

from recognition.ingest.loading import LoadedPhoto
from recognition.ml.pipeline import DetectedFace, FacePipeline

logger = logging.getLogger(__name__)


def analyze_batch(loaded: list[LoadedPhoto], pipeline: FacePipeline) -> dict[int, list[DetectedFace]]:
    """Faces by photo id for the ready photos; photos whose analysis raised get ``failure`` set."""
    ready = [item for item in loaded if item.input is not None]
    if not ready:
        return {}
    try:
        found = pipeline.analyze_inputs([item.input for item in ready])
        return {item.photo.id: faces for item, faces in zip(ready, found)}
    except Exception:  # noqa: BLE001 - find the photo at fault instead of failing the batch
        if len(ready) == 1:
            return _analyze_alone(ready[0], pipeline)
        logger.warning("batch of %d failed in face analysis; retrying photo by photo", len(ready), exc_info=True)
    results: dict[int, list[DetectedFace]] = {}
    for item in ready:
        results.update(_analyze_alone(item, pipeline))
    return results


def _analyze_alone(item: LoadedPhoto, pipeline: FacePipeline) -> dict[int, list[DetectedFace]]:
    try:
        return {item.photo.id: pipeline.analyze_inputs([item.input])[0]}
    except Exception as exc:  # noqa: BLE001 - recorded on the photo, never retried (it is deterministic)
        logger.exception("photo %s: face analysis failed", item.photo.id)
        item.failure = f"face detection failed ({exc.__class__.__name__}: {exc})"
        return {}
