"""Sort a folder of photos by person: the core of ``manage.py sort_photos`` (no Django).

Pure steps, reusable for per-person album export: find images -> analyse -> cluster usable faces
(faces of one photo never share a person) -> name people by photo count -> copy and report.
"""
from __future__ import annotations

import json
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from PIL import Image

from recognition.clustering import cluster_faces
from recognition.clustering.merge import merge_clusters
from recognition.ml.calibration import Calibration, calibration_for
from recognition.ml.facecrop import square_inside
from recognition.ml.images import EXIF_ORIENTATION_TAG, ImageDecodeError, load_image
from recognition.ml.pipeline import DetectedFace, FacePipeline
from recognition.ml.query import rank_query_faces

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".heic", ".heif", ".avif"}
FACES_DIR_NAME = "Faces"
FACE_IMAGE_MAX_SIDE = 512


@dataclass
class PhotoFaces:
    relative: str  # POSIX path relative to the input folder
    faces: list[DetectedFace] = field(default_factory=list)
    people: list[str | None] = field(default_factory=list)  # per face
    confidences: list[float | None] = field(default_factory=list)
    size: tuple[int, int] | None = None  # upright (w, h) of the original, for the report


@dataclass
class SortResult:
    photos: list[PhotoFaces]
    errors: list[dict]
    people: dict[str, list[tuple[int, int]]]  # name -> (photo index, face index), in order


def find_images(root: Path, *, exclude: Path | None = None) -> list[Path]:
    """Image files under root (by suffix, any case), sorted; nothing under ``exclude``."""
    found = []
    for path in sorted(root.rglob("*")):
        if exclude is not None and path.is_relative_to(exclude):
            continue
        if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
            found.append(path)
    return found


def analyze_photos(pipeline: FacePipeline, root: Path, paths: list[Path],
                   progress: Callable[[], None] = lambda: None) -> tuple[list[PhotoFaces], list[dict]]:
    """Faces per readable photo; unreadable files become error entries instead."""
    photos, errors = [], []
    for path, outcome in pipeline.analyze_each(paths):
        relative = path.relative_to(root).as_posix()
        if isinstance(outcome, ImageDecodeError):
            errors.append({"file": relative, "error": outcome.reason})
        else:
            photos.append(PhotoFaces(relative=relative, faces=outcome, size=upright_size(path)))
        progress()
    return photos, errors


def upright_size(path: Path) -> tuple[int, int] | None:
    """(w, h) as a viewer shows the photo (EXIF orientation applied), from the header only."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = int(image.getexif().get(EXIF_ORIENTATION_TAG, 1))
    except Exception:  # noqa: BLE001 - the photo was already decoded once; a size is only reported
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def assign_people(photos: list[PhotoFaces], *, calibration: Calibration,
                  method: str | None = None) -> dict[str, list[tuple[int, int]]]:
    """Cluster usable faces, fill each photo's ``people``/``confidences``; return name -> faces."""
    refs = [(p, f) for p, photo in enumerate(photos) for f, face in enumerate(photo.faces) if face.usable]
    for photo in photos:
        photo.people = [None] * len(photo.faces)
        photo.confidences = [None] * len(photo.faces)
    if not refs:
        return {}
    embeddings = np.stack([photos[p].faces[f].embedding for p, f in refs]).astype(np.float32)
    cannot_link = np.array(same_photo_pairs(refs), dtype=np.int64).reshape(-1, 2)
    labels = cluster_faces(embeddings, threshold=calibration.cluster_threshold, cannot_link=cannot_link,
                          method=method)
    # Second stage: people split by average linkage are merged by their centred mean faces
    # (docs/clustering.md, "Second stage").
    labels = merge_clusters(embeddings, labels, threshold=calibration.merge_threshold, cannot_link=cannot_link)
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        if label >= 0:
            members[int(label)].append(index)
    people = {}
    for name, indices in zip(person_names(len(members)), _by_photo_count(members, refs)):
        centroid = _unit(embeddings[indices].mean(axis=0))
        for index in indices:
            p, f = refs[index]
            photos[p].people[f] = name
            photos[p].confidences[f] = round(calibration.confidence(float(embeddings[index] @ centroid)), 1)
        people[name] = [refs[i] for i in indices]
    return people


def same_photo_pairs(refs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cannot-link pairs: two faces in one photo are two different people."""
    by_photo: dict[int, list[int]] = defaultdict(list)
    for index, (photo, _) in enumerate(refs):
        by_photo[photo].append(index)
    return [(a, b) for indices in by_photo.values() for i, a in enumerate(indices) for b in indices[i + 1:]]


def _by_photo_count(members: dict[int, list[int]], refs: list[tuple[int, int]]) -> list[list[int]]:
    """Clusters ordered by distinct photos, then faces, then first appearance (stable names)."""
    def key(indices: list[int]):
        return (-len({refs[i][0] for i in indices}), -len(indices), min(refs[i] for i in indices))
    return sorted(members.values(), key=key)


def person_names(count: int) -> list[str]:
    return [f"person_{number:03d}" for number in range(1, count + 1)]


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def export(result: SortResult, in_dir: Path, out_dir: Path, *, max_pixels: int) -> dict:
    """Write person folders (byte-identical copies), Faces/<person>.jpg and report.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name, refs in result.people.items():
        photo_indices = sorted({p for p, _ in refs})
        copy_photos([result.photos[p].relative for p in photo_indices], in_dir, out_dir / name)
        p, f = best_face(result.photos, refs)
        face_image = f"{FACES_DIR_NAME}/{name}.jpg"
        save_face_image(in_dir / result.photos[p].relative, result.photos[p].faces[f], out_dir / face_image,
                        max_pixels=max_pixels)
        summary[name] = {"photos": len(photo_indices), "faces": len(refs), "face_image": face_image}
    report = build_report(result, summary)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def copy_photos(relatives: Iterable[str], in_dir: Path, target: Path) -> None:
    """shutil.copyfile each original; nested paths are flattened with "__", clashes numbered."""
    target.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for relative in relatives:
        name = relative.replace("/", "__")
        stem, suffix, number = Path(name).stem, Path(name).suffix, 2
        while name in used:
            name, number = f"{stem}-{number}{suffix}", number + 1
        used.add(name)
        shutil.copyfile(in_dir / relative, target / name)


def best_face(photos: list[PhotoFaces], refs: list[tuple[int, int]]) -> tuple[int, int]:
    """The clearest face: large, sharp and frontal (each term saturates, so no single one rules)."""
    def score(ref: tuple[int, int]) -> float:
        face = photos[ref[0]].faces[ref[1]]
        size = min(face.box[2] - face.box[0], face.box[3] - face.box[1])
        return min(size, 160.0) * min(face.blur, 300.0) * frontality(face.landmarks)
    return max(refs, key=score)


def frontality(landmarks: np.ndarray) -> float:
    """1 when the nose is midway between the eyes, towards 0 as the head turns."""
    left_eye, right_eye, nose = landmarks[0], landmarks[1], landmarks[2]
    eye_distance = max(float(np.linalg.norm(right_eye - left_eye)), 1e-6)
    offset = abs(float(nose[0] - (left_eye[0] + right_eye[0]) / 2))
    return max(0.05, 1.0 - 2.0 * offset / eye_distance)


def save_face_image(original: Path, face: DetectedFace, target: Path, *, max_pixels: int) -> None:
    """A square crop around the face with margin, from the full-resolution original."""
    image = load_image(original, max_pixels=max_pixels)
    crop = image.crop(tuple(round(v) for v in square_inside(face.box, image.width, image.height)))
    crop.thumbnail((FACE_IMAGE_MAX_SIDE, FACE_IMAGE_MAX_SIDE), Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    crop.save(target, "JPEG", quality=92)


def build_report(result: SortResult, people_summary: dict) -> dict:
    """report.json; each face's ``rank`` orders the photo's faces as a query would (0: the largest
    frontal sharp face, recognition.ml.query), so a scorer can take the photo's main subject."""
    photos = [{"file": photo.relative, "size": list(photo.size) if photo.size else None, "faces": [
        {"box": [round(float(v), 1) for v in face.box], "probability": round(face.probability, 4),
         "person": person, "confidence": confidence, "usable": face.usable, "rank": _ranks(photo.faces)[k],
         "quality_reasons": face.quality_reasons}
        for k, (face, person, confidence) in enumerate(zip(photo.faces, photo.people, photo.confidences))]}
        for photo in result.photos]
    return {"photos": photos, "people": people_summary, "errors": result.errors}


def _ranks(faces: list[DetectedFace]) -> list[int]:
    order = rank_query_faces(faces)
    return [next(r for r, other in enumerate(order) if other is face) for face in faces]


def sort_folder(in_dir: Path, out_dir: Path, *, pipeline: FacePipeline, method: str | None = None,
                progress_factory: Callable[[int], Callable[[], None]] = lambda total: (lambda: None)) -> dict:
    """The whole sort: returns the report that was written to out_dir/report.json."""
    in_dir, out_dir = in_dir.resolve(), out_dir.resolve()
    paths = find_images(in_dir, exclude=out_dir)
    photos, errors = analyze_photos(pipeline, in_dir, paths, progress_factory(len(paths)))
    people = assign_people(photos, calibration=calibration_for(pipeline.embedder.name), method=method)
    return export(SortResult(photos=photos, errors=errors, people=people), in_dir, out_dir,
                  max_pixels=pipeline.config.max_pixels)
