"""Small faces: how well faces below the quality gate's size match their person, by size.

    .venv/bin/python scripts/calibrate_small_faces.py [--scales 0.3,0.4,0.5]

Every lfw-dev photo (faces ~60 px) is shrunk by each scale and analysed again by the default
pipeline, so the same faces come back at 15-35 px. Each small face (the one nearest the labelled
face) is compared with the centroids of the full-size labelled faces of all 200 identities (its
own photo left out). A face would join the best centroid at or above a threshold:
per size band and threshold the script prints how many join their own person, join a wrong one,
or stay alone, for faces that pass the quality gate's other checks (sharpness, probability,
landmarks) and for all.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import labelled_face, load_set  # noqa: E402

from recognition.ml.pipeline import get_pipeline  # noqa: E402
from visage.settings.surface import Surface  # noqa: E402
from recognition.ml.quality import SMALL_FACE_PREFIX  # noqa: E402

BANDS = [(0, 20), (20, 24), (24, 28), (28, 32), (32, 48)]
THRESHOLDS = (0.363, 0.40, 0.45, 0.50)


def centroids(vectors: dict[str, list[np.ndarray]]) -> tuple[list[str], np.ndarray]:
    names = sorted(vectors)
    means = np.stack([np.mean(vectors[n], axis=0) for n in names])
    return names, means / np.linalg.norm(means, axis=1, keepdims=True)


def nearest(photo_path: str, box_centre, faces, scale: float):
    cx, cy = box_centre
    return min(faces, key=lambda f: ((f.box[0] + f.box[2]) / 2 / scale - cx) ** 2
               + ((f.box[1] + f.box[3]) / 2 / scale - cy) ** 2, default=None)


def small_faces(scales: list[float]):
    """(size px, sharp-enough and otherwise usable, identity, {identity: cosine}) per small face."""
    pipeline = get_pipeline(Surface().ml_config())
    lfw = load_set("lfw-dev")
    full = [(p, labelled_face(p, centre=True)) for p in lfw]
    by_name = defaultdict(list)
    for photo, face in full:
        if face is not None and face.usable:
            by_name[photo.identity].append((photo.path, face.embeddings["sface"]))
    rows = []
    for scale in scales:
        images = [Image.open(p.path).convert("RGB") for p, _ in full]
        shrunk = [im.resize((round(im.width * scale), round(im.height * scale)), Image.LANCZOS) for im in images]
        for (photo, face), (_, found) in zip(full, pipeline.analyze_each(shrunk, batch_size=32)):
            if face is None or not face.usable or isinstance(found, Exception):
                continue
            small = nearest(photo.path, ((face.box[0] + face.box[2]) / 2, (face.box[1] + face.box[3]) / 2), found, scale)
            if small is None:
                continue
            own = {n: [v for path, v in vs if path != photo.path] for n, vs in by_name.items()}
            names, means = centroids({n: vs for n, vs in own.items() if vs})
            rows.append(_row(small, photo.identity, names, means))
    return rows


def _row(face, identity, names, means):
    size = min(face.box[2] - face.box[0], face.box[3] - face.box[1])
    other_ok = all(r.startswith(SMALL_FACE_PREFIX) for r in face.quality_reasons)
    return size, other_ok, identity, dict(zip(names, (means @ face.embedding).tolist()))


def report(rows, label: str) -> None:
    print(label)
    for low, high in BANDS:
        band = [r for r in rows if low <= r[0] < high]
        for gate in (False, True):
            chosen = [r for r in band if r[1]] if gate else band
            if not chosen:
                continue
            parts = []
            for t in THRESHOLDS:
                right = wrong = 0
                for _, _, identity, scores in chosen:
                    best = max(scores, key=scores.get)
                    if scores[best] >= t:
                        right += best == identity
                        wrong += best != identity
                parts.append(f"{t:.3f}: {right / len(chosen):.3f} right {wrong / len(chosen):.4f} wrong")
            print(f"  {low:2d}-{high:2d} px {'sharp ' if gate else 'all   '} n={len(chosen):4d}  " + "  ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="0.3,0.4,0.5")
    args = parser.parse_args()
    rows = small_faces([float(s) for s in args.scales.split(",")])
    report(rows, "lfw-dev shrunk (sface), per size band: share joining their own person / a wrong one")


if __name__ == "__main__":
    main()
