"""SFace alone vs. SFace + dlib's ResNet (an ensemble) on the labelled pairs of the calibration sets.

    pip install --target /tmp/dlibpkg dlib-bin==20.0.1.post1 face-recognition-models==0.3.0
    .venv/bin/python scripts/calibrate_ensemble.py --dlib-path /tmp/dlibpkg [--fixtures DIR]

dlib (Boost Software License) and face_recognition_models' weights (Davis King, public domain /
CC0; only the 5-point landmark model and the ResNet are used: the 68-point model's training data
forbids commercial use) are not project dependencies: this script measures whether they would
earn their place. dlib's own chip: its 5-point landmarks inside the MTCNN box (cached by
scripts/calibrate_sets.py), ``get_face_chip`` 150 px with padding 0.25, ``compute_face_descriptor``.

The ensemble concatenates each model's embeddings centred on the set's mean face and re-normalised
(weights w and 1 - w; no fitting to labels), so cosines of the two models add up in one scale.
Threshold-free numbers (AUC, TAR at FAR 1e-3 and 1e-4), since an adopted ensemble would get its own
thresholds. Pairs as scripts/calibrate_threshold.py (lfw-dev: every same pair, 50,000 different).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import labelled_face, load_set  # noqa: E402
from calibrate_threshold import DIFFERENT_SAMPLE, tar_at, threshold_at_far  # noqa: E402

from recognition.clustering.graph import unit_rows  # noqa: E402
from recognition.ml.evaluation import roc_auc  # noqa: E402
from recognition.ml.images import load_image  # noqa: E402

WEIGHTS = (1.0, 0.7, 0.5, 0.3, 0.0)  # SFace's share; 1.0 = SFace alone, 0.0 = dlib alone


def dlib_models(path: str | None):
    if path:
        sys.path.insert(0, path)
    import importlib.util

    import dlib

    # The package's __init__ needs pkg_resources (setuptools) only to find these files.
    models = Path(importlib.util.find_spec("face_recognition_models").submodule_search_locations[0]) / "models"
    return dlib, dlib.shape_predictor(str(models / "shape_predictor_5_face_landmarks.dat")), \
        dlib.face_recognition_model_v1(str(models / "dlib_face_recognition_resnet_model_v1.dat"))


def labelled(name: str, fixtures: Path | None):
    photos = load_set(name, fixtures=fixtures)
    chosen = [(p, labelled_face(p, centre=name == "lfw-dev")) for p in photos]
    return [(p, f) for p, f in chosen if f is not None]


def dlib_embeddings(chosen, dlib, predictor, resnet) -> tuple[np.ndarray, float]:
    vectors, seconds = [], 0.0
    for photo, face in chosen:
        image = np.asarray(load_image(photo.path))
        started = time.process_time()
        x1, y1, x2, y2 = (int(round(v)) for v in face.box)
        shape = predictor(image, dlib.rectangle(x1, y1, x2, y2))
        chip = dlib.get_face_chip(image, shape, size=150, padding=0.25)
        vectors.append(np.array(resnet.compute_face_descriptor(chip), dtype=np.float64))
        seconds += time.process_time() - started
    return unit_rows(np.stack(vectors)), seconds / len(vectors)


def pair_indices(ids: np.ndarray):
    i, j = np.triu_indices(len(ids), 1)
    same = ids[i] == ids[j]
    different = np.flatnonzero(~same)
    if len(different) > DIFFERENT_SAMPLE:
        different = np.sort(np.random.default_rng(0).choice(different, DIFFERENT_SAMPLE, replace=False))
    keep = np.concatenate([np.flatnonzero(same), different])
    return i[keep], j[keep], same[keep]


def centred(vectors: np.ndarray) -> np.ndarray:
    return unit_rows(vectors - vectors.mean(axis=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dlib-path", default=None)
    parser.add_argument("--fixtures", type=Path, default=None)
    args = parser.parse_args()
    dlib, predictor, resnet = dlib_models(args.dlib_path)
    for name in ("lfw-dev", "bbt-people", "portraits"):
        chosen = labelled(name, args.fixtures)
        sface = unit_rows(np.stack([f.embeddings["sface"] for _, f in chosen]))
        other, seconds = dlib_embeddings(chosen, dlib, predictor, resnet)
        ids = np.unique([p.identity for p, _ in chosen], return_inverse=True)[1]
        i, j, labels = pair_indices(ids)
        print(f"{name}: {len(chosen)} faces, {labels.sum()} same / {(~labels).sum()} different pairs; "
              f"dlib CPU {seconds * 1000:.0f} ms per face")
        raw = {"sface (raw)": sface, "dlib (raw)": other}
        for label, vectors in raw.items():
            scores = np.einsum("ij,ij->i", vectors[i], vectors[j])
            print(f"  {label:16s} AUC {roc_auc(scores, labels):.4f}  TAR@1e-3 "
                  f"{tar_at(scores, labels, threshold_at_far(scores, labels, 1e-3)):.4f}  TAR@1e-4 "
                  f"{tar_at(scores, labels, threshold_at_far(scores, labels, 1e-4)):.4f}")
        for weight in WEIGHTS:
            vectors = unit_rows(np.hstack([np.sqrt(weight) * centred(sface), np.sqrt(1 - weight) * centred(other)]))
            scores = np.einsum("ij,ij->i", vectors[i], vectors[j])
            print(f"  sface share {weight:.1f}  AUC {roc_auc(scores, labels):.4f}  TAR@1e-3 "
                  f"{tar_at(scores, labels, threshold_at_far(scores, labels, 1e-3)):.4f}  TAR@1e-4 "
                  f"{tar_at(scores, labels, threshold_at_far(scores, labels, 1e-4)):.4f}")


if __name__ == "__main__":
    main()
