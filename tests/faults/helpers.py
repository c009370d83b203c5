"""Shared steps of the fault tests: real photos in, states and faces out."""
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Photo, PhotoState
from recognition.models import Face
from tests.factories import FACES_DIR

PHOTOS = sorted((FACES_DIR / "bbt" / "group").glob("*.jpg")) + sorted((FACES_DIR / "portraits").glob("*.jpg")) + [
    FACES_DIR / "bbt" / "people" / name / f"{name}1.png" for name in ("amy", "howard", "penny", "raj")]


def as_upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def finished(event_id: int) -> bool:
    return not Photo.objects.filter(event_id=event_id).exclude(state__in=[PhotoState.DONE, PhotoState.FAILED]).exists()


def faces_by_file(event_id: int) -> dict[str, list[tuple[float, ...]]]:
    boxes: dict[str, list[tuple[float, ...]]] = {}
    for photo in Photo.objects.filter(event_id=event_id):
        boxes[photo.original_filename] = sorted(
            (round(f.x1), round(f.y1), round(f.x2), round(f.y2)) for f in Face.objects.filter(photo=photo))
    return boxes


def clean_run_boxes(pipeline, paths) -> dict[str, list[tuple[float, ...]]]:
    """What a clean, uninterrupted run finds: the same pipeline, in this process."""
    return {path.name: sorted(tuple(round(v) for v in face.box) for face in pipeline.analyze(path)) for path in paths}


def same_faces(found: dict, expected: dict, tolerance: float = 3.0) -> list[str]:
    """Differences in face count or box position (pixels) per file; empty when they match."""
    problems = []
    for name, boxes in expected.items():
        got = found.get(name, [])
        if len(got) != len(boxes):
            problems.append(f"{name}: {len(got)} faces, clean run {len(boxes)}")
        elif any(abs(a - b) > tolerance for box, other in zip(got, boxes) for a, b in zip(box, other)):
            problems.append(f"{name}: boxes {got} vs {boxes}")
    return problems
