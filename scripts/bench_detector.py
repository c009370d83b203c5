"""Detection at scale: recall and seconds per photo on 24 MP composites, all methods in one run.

    .venv/bin/python scripts/bench_detector.py [--photos 8] [--reference-photos 8] [--batch 8]
                                               [--plans 12:20,12:12,16:16,20:20] [--save DIR]

Builds --photos 6000x4000 JPEGs from shared/data/faces: a bbt group shot fitted to the canvas as
background (its faces become large), lfw-dev photos pasted with faces of 50-120 px and bbt/people
close-ups with faces of 150-400 px. Then, from the JPEG bytes (decode time included):

  reference   facenet-pytorch MTCNN on the full-resolution decode, min face 20: defines the faces
  today_1024  facenet-pytorch MTCNN on the 1024-px decode with the border-margin rule (old path)
  plan_faceF_minM  FaceDetector (batched cascade) on the decode detection_plan(face_px=F,
              min_face_size=M) picks, --batch photos per detect_batch call

Recall: share of reference faces with short side >= --min-face-px (original px) that a method
finds at IoU >= 0.5, on the first --reference-photos photos. Prints JSON.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recognition.ml.compat import import_facenet_pytorch  # noqa: E402
from recognition.ml.detector import (  # noqa: E402
    BORDER_MARGIN, MIN_FACE_SIZE, SURE_PROBABILITY, Detection, FaceDetector, _needs_margin, detection_plan)
from recognition.ml.images import decode  # noqa: E402
from recognition.ml.runtime import configure_torch_threads  # noqa: E402
from visage.settings.surface import Surface  # noqa: E402

FACES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "faces"
CANVAS = (6000, 4000)
# MTCNN boxes in the 150 px photos (medians, measured): lfw-dev faces 55 px wide centred near
# (74, 76); bbt/people close-ups fill the frame, boxes ~144 px wide.
LFW_BOX, LFW_CENTRE, CLOSEUP_BOX = 55, (74, 76), 144


def composites(count: int, seed: int, small: int, big: int) -> list[bytes]:
    """JPEG composites: a group shot as background, small faces feathered in, close-ups pasted."""
    rng = random.Random(seed)
    groups = sorted((FACES / "bbt" / "group").glob("*.jpg"))
    lfw = sorted((FACES / "lfw-dev").glob("*/*.jpg"))
    closeups = sorted((FACES / "bbt" / "people").glob("*/*.png"))
    background_finder, photos = FacenetPath(), []
    for index in range(count):
        canvas = ImageOps.fit(Image.open(groups[index % len(groups)]).convert("RGB"), CANVAS,
                              Image.Resampling.BICUBIC)
        occupied = _background_faces(background_finder, canvas)
        for path in rng.sample(lfw, small):
            _paste(canvas, *_face_cutout(path, rng.uniform(50, 120) / LFW_BOX), rng, occupied)
        for path in rng.sample(closeups, big):
            patch = Image.open(path).convert("RGB")
            side = round(patch.width * rng.uniform(150, 400) / CLOSEUP_BOX)
            _paste(canvas, patch.resize((side, side), Image.Resampling.BICUBIC), None, rng, occupied)
        buffer = io.BytesIO()
        canvas.save(buffer, "JPEG", quality=92)
        photos.append(buffer.getvalue())
    return photos


def _face_cutout(path: Path, scale: float) -> tuple[Image.Image, Image.Image]:
    """The face and a band around it with a feathered elliptical mask, scaled.

    A whole 150 px portrait pasted small is a face-shaped blob in a frame that lets a
    low-resolution pass find faces it would not find in a real crowd, so only the face goes in.
    """
    half = LFW_BOX
    x, y = LFW_CENTRE
    patch = Image.open(path).convert("RGB").crop((x - half, y - half, x + half, y + half))
    mask = Image.new("L", patch.size)
    ImageDraw.Draw(mask).ellipse((12, 6, patch.width - 12, patch.height - 6), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(8))
    size = (round(patch.width * scale), round(patch.height * scale))
    return patch.resize(size, Image.Resampling.BICUBIC), mask.resize(size, Image.Resampling.BILINEAR)


def _background_faces(finder: "FacenetPath", canvas: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes of the background's own faces (1024 px pass), widened, so pastes do not cover them."""
    small = canvas.resize((1024, round(1024 * canvas.height / canvas.width)), Image.Resampling.BILINEAR)
    ratio = canvas.width / small.width
    boxes = []
    for face in finder.detect(small, margin=False):
        x1, y1, x2, y2 = face.box * ratio
        pad = 0.5 * (x2 - x1)
        boxes.append((int(x1 - pad), int(y1 - pad), int(x2 + pad), int(y2 + pad)))
    return boxes


def _paste(canvas: Image.Image, patch: Image.Image, mask: Image.Image | None, rng, occupied) -> None:
    spot = _free_spot(rng, patch.size, occupied)
    if spot:
        canvas.paste(patch, spot, mask)


def _free_spot(rng, size, occupied, tries: int = 200):
    """A top-left corner where the patch overlaps no earlier patch (None if none found)."""
    for _ in range(tries):
        x, y = rng.randrange(CANVAS[0] - size[0]), rng.randrange(CANVAS[1] - size[1])
        box = (x, y, x + size[0], y + size[1])
        if all(box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in occupied):
            occupied.append(box)
            return x, y
    return None


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)))
    low, high = np.maximum(a[:, None, :2], b[None, :, :2]), np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(high - low, 0, None), axis=2)
    area = lambda boxes: np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


class FacenetPath:
    """facenet-pytorch's MTCNN.detect as the detector used it before (same margin rule)."""

    def __init__(self, min_face_size: int = MIN_FACE_SIZE):
        facenet_pytorch = import_facenet_pytorch()
        self.mtcnn = facenet_pytorch.MTCNN(keep_all=True, min_face_size=min_face_size,
                                           thresholds=[0.6, 0.7, 0.7], device="cpu").eval()

    def detect(self, image: Image.Image, margin: bool) -> list[Detection]:
        found = self._detect(image)
        if margin and _needs_margin(found, image):
            pad = max(1, round(min(image.size) * BORDER_MARGIN))
            framed = Image.new("RGB", (image.width + 2 * pad, image.height + 2 * pad))
            framed.paste(image, (pad, pad))
            found = [d.shifted(pad, pad) for d in self._detect(framed)]
        return found

    def _detect(self, image: Image.Image) -> list[Detection]:
        with torch.inference_mode():
            boxes, probs, points = self.mtcnn.detect(image, landmarks=True)
        if boxes is None:
            return []
        return [Detection(np.asarray(b, float), float(p), np.asarray(l, float)) for b, p, l in zip(boxes, probs, points)]


def facenet_boxes(path: FacenetPath, raw: bytes, long_side: int | None, margin: bool) -> np.ndarray:
    """(x1, y1, x2, y2, probability) in original px, facenet-pytorch on a decode of ``long_side``."""
    decoded = decode(raw, long_side=long_side)
    return np.array([[*decoded.to_original(d.box), d.probability]
                     for d in path.detect(decoded.image, margin)]).reshape(-1, 5)


def plan_boxes(detector: FaceDetector, chunk: list[bytes], plan: tuple[int, int], min_face_px: int):
    """Boxes in original px per photo, from one detect_batch call on the planned decodes."""
    plans = [detection_plan(Image.open(io.BytesIO(raw)).size, min_face_px=min_face_px,
                            face_px=plan[0], min_face_size=plan[1]) for raw in chunk]
    decoded = [decode(raw, long_side=side) for raw, (side, _) in zip(chunk, plans)]
    found = detector.detect_batch([d.image for d in decoded], min_face_size=[m for _, m in plans])
    return [np.array([d.to_original(f.box) for f in faces]).reshape(-1, 4) for d, faces in zip(decoded, found)]


def timed(clock: dict, name: str, action):
    """Run ``action``, adding its wall and CPU seconds to clock[name]."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    totals = clock.setdefault(name, [0.0, 0.0])
    totals[0] += time.perf_counter() - wall
    totals[1] += time.process_time() - cpu
    return result


def score(found: list[np.ndarray], reference: list[np.ndarray], min_face_px: int, sure: float = 0.0) -> dict:
    """Reference faces (short side >= min_face_px, probability >= sure) matched at IoU >= 0.5."""
    wanted = matched = extra = 0
    for boxes, truth in zip(found, reference):
        sides = np.min(truth[:, 2:4] - truth[:, :2], axis=1)
        truth = truth[(sides >= min_face_px) & (truth[:, 4] >= sure), :4]
        boxes = boxes[:, :4]
        overlap = iou_matrix(truth, boxes)
        wanted += len(truth)
        matched += int((overlap >= 0.5).any(axis=1).sum()) if len(boxes) else 0
        extra += int((overlap < 0.5).all(axis=0).sum()) if len(truth) else len(boxes)
    return {"reference_faces": wanted, "found": matched, "recall": round(matched / max(wanted, 1), 4),
            "unmatched_detections": extra}


def summary(found: list[np.ndarray], clock: list[float], reference: list[np.ndarray], min_face_px: int) -> dict:
    result = score(found[:len(reference)], reference, min_face_px)
    # MTCNN at 24 MP also fires on shirts and ears at 0.7-0.8: recall of the sure reference faces too.
    result["recall_sure"] = score(found[:len(reference)], reference, min_face_px, SURE_PROBABILITY)["recall"]
    result["wall_s_per_photo"] = round(clock[0] / len(found), 3)
    result["cpu_s_per_photo"] = round(clock[1] / len(found), 3)
    found_per_photo = result["found"] / max(len(reference), 1)
    result["cpu_s_per_found_face"] = round(result["cpu_s_per_photo"] / found_per_photo, 4) if found_per_photo else None
    return result


def measure(photos: list[bytes], args, plans: list[tuple[int, int]]):
    """Every method on each batch in turn (so load from other processes hits all alike)."""
    full, reduced, detector = FacenetPath(), FacenetPath(), FaceDetector("cpu")
    plan_boxes(detector, photos[:1], plans[0], args.min_face_px)  # first-call warm-up
    found: dict[str, list[np.ndarray]] = {}
    clock: dict[str, list[float]] = {}
    for first in range(0, len(photos), args.batch):
        chunk = photos[first:first + args.batch]
        with_reference = chunk[:max(0, args.reference_photos - first)]
        if with_reference:
            found.setdefault("reference_full_res", []).extend(timed(clock, "reference_full_res", lambda: [
                facenet_boxes(full, raw, None, margin=False) for raw in with_reference]))
        found.setdefault("today_1024", []).extend(timed(clock, "today_1024", lambda: [
            facenet_boxes(reduced, raw, 1024, margin=True) for raw in chunk]))
        for plan in plans:
            name = "plan_face{}_min{}".format(*plan)
            found.setdefault(name, []).extend(timed(clock, name, lambda: plan_boxes(
                detector, chunk, plan, args.min_face_px)))
    return found, clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--reference-photos", type=int, default=8)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--plans", default="12:20,12:12,16:16,20:20",
                        help="face_px:min_face_size pairs for detection_plan")
    parser.add_argument("--min-face-px", type=int, default=48)
    parser.add_argument("--small-faces", type=int, default=12)
    parser.add_argument("--big-faces", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, help="also write the composites here")
    args = parser.parse_args()
    configure_torch_threads(Surface().models.torch_threads)
    photos = composites(args.photos, args.seed, args.small_faces, args.big_faces)
    for index, raw in enumerate(photos if args.save else []):
        args.save.mkdir(parents=True, exist_ok=True)
        (args.save / f"composite{index}.jpg").write_bytes(raw)
    plans = [tuple(int(v) for v in pair.split(":")) for pair in args.plans.split(",")]
    load_before = os.getloadavg()[0]
    found, clock = measure(photos, args, plans)
    reference = found["reference_full_res"]
    methods = {name: summary(boxes, clock[name], reference, args.min_face_px) for name, boxes in found.items()}
    for plan in plans:
        methods["plan_face{}_min{}".format(*plan)]["plan_for_6000x4000"] = detection_plan(
            CANVAS, min_face_px=args.min_face_px, face_px=plan[0], min_face_size=plan[1])
    print(json.dumps({
        "command": " ".join(["scripts/bench_detector.py"] + sys.argv[1:]), "canvas": CANVAS,
        "photos": len(photos), "reference_photos": len(reference), "batch": args.batch,
        "min_face_px": args.min_face_px, "device": "cpu", "torch_threads": torch.get_num_threads(),
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "methods": methods}, indent=2))


if __name__ == "__main__":
    main()
