"""False faces: what the detector finds where there is no face, against real faces.

    .venv/bin/python scripts/calibrate_false_faces.py [--limit 400]

Real faces: every usable face of the calibration sets (scripts/calibrate_sets.py). Non-faces: the
same photos with every detected face painted over (box grown to 2.2x its size, filled with the photo's
median colour), analysed again at 1x and 2x: whatever the pipeline still finds there is a detection
without a face (the highest-scoring ones are saved to --crops for a look by eye). For both groups the
script prints how many pass the quality gate without the verifier, the distribution of the
verifier's score (recognition.ml.verifier: YuNet on the aligned crop) and, per candidate
threshold, the share of real faces kept and of non-faces (passing the other checks) rejected.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import load_set  # noqa: E402

from recognition.ml.pipeline import get_pipeline  # noqa: E402
from visage.settings.surface import Surface  # noqa: E402
from recognition.ml.verifier import FaceVerifier  # noqa: E402

SETS = ("bbt-people", "bbt-group", "portraits", "lfw-dev")


def masked(photo) -> Image.Image:
    image = Image.open(photo.path).convert("RGB")
    fill = tuple(int(v) for v in np.median(np.asarray(image).reshape(-1, 3), axis=0))
    draw = ImageDraw.Draw(image)
    for face in photo.faces:
        x1, y1, x2, y2 = face.box
        grow_x, grow_y = 0.6 * (x2 - x1), 0.6 * (y2 - y1)  # no half face left at the edge
        draw.rectangle([x1 - grow_x, y1 - grow_y, x2 + grow_x, y2 + grow_y], fill=fill)
    return image


def negatives(photos, crops: Path | None):
    pipeline = get_pipeline(Surface().ml_config())
    images = []
    for photo in photos:
        image = masked(photo)
        images += [image, image.resize((image.width * 2, image.height * 2), Image.BICUBIC)]
    found = [f for _, faces in pipeline.analyze_each(images, batch_size=16) for f in faces]
    if crops:
        crops.mkdir(parents=True, exist_ok=True)
        for k, face in enumerate(sorted(found, key=lambda f: -f.probability)[:40]):
            face.aligned.save(crops / f"{k:02d}_{face.probability:.3f}.png")
    return found


def describe(values: np.ndarray) -> str:
    return (f"min {values.min():.3f} p1 {np.percentile(values, 1):.3f} p5 {np.percentile(values, 5):.3f} "
            f"p50 {np.median(values):.3f} max {values.max():.3f}") if len(values) else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=400, help="lfw-dev photos to mask (all other sets in full)")
    parser.add_argument("--crops", type=Path, default=Path("/tmp/visage_false_faces"))
    args = parser.parse_args()
    verifier = FaceVerifier()
    real = [f for name in SETS for p in load_set(name) for f in p.faces if f.usable]
    photos = [p for name in SETS[:-1] for p in load_set(name)] + load_set("lfw-dev")[:: max(1, 1032 // args.limit)]
    fake = negatives(photos, args.crops)
    # A pipeline run with the verifier marks rejected faces; judge the other checks on their own.
    passing = [f for f in fake if not [r for r in f.quality_reasons if not r.startswith("not a face")]]
    all_scores = np.array([verifier.score(f.aligned) for f in fake])
    real_scores = np.array([verifier.score(f.aligned) for f in real])
    fake_scores = np.array([verifier.score(f.aligned) for f in passing])
    print(f"real usable faces: {len(real)}; detections on {len(photos)} masked photos (1x, 2x): {len(fake)}, "
          f"{len(passing)} pass the other checks (size, probability, landmarks, sharpness)")
    print(f"verifier score, real faces:     {describe(real_scores)}")
    print(f"verifier score, masked passing: {describe(fake_scores)}  (sorted: {np.sort(fake_scores).round(3)})")
    print(f"verifier score, all masked detections: {describe(all_scores)}")
    for threshold in (0.3, 0.4, 0.5, 0.6):
        print(f"  threshold {threshold:.1f}: real kept {(real_scores >= threshold).mean():.4f}"
              f" ({(real_scores < threshold).sum()} lost), masked detections rejected"
              f" {(fake_scores < threshold).sum()} of {len(fake_scores)} passing the other checks,"
              f" {(all_scores < threshold).sum()} of {len(all_scores)} in all")


if __name__ == "__main__":
    main()
