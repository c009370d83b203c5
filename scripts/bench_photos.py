"""Event-like 24 MP photos for the ingest benchmarks, built from ../shared/data/faces.

Each photo is a 6000×4000 JPEG (quality 90): a backdrop enlarged from the corner of an LFW
photo, with grain (so the JPEG carries real-photo entropy, ~7–9 MB), and 4–10 people pasted on it:
a few large portraits (faces of ~250–500 px) and a back row of small ones (faces of ~50–120 px,
the sizes of a group shot's back row). Deterministic for a seed; written once to a cache folder.

    python scripts/bench_photos.py --count 24 --out var/bench-photos
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
LFW = ROOT.parent / "shared" / "data" / "faces" / "lfw-dev"
SIZE = (6000, 4000)
# An LFW photo is 150 px with the face ~60 px wide in its centre: pasted at side S, the face's
# short side is about 0.4 S.
LARGE_SIDES = (650, 1250)
SMALL_SIDES = (130, 300)


def build_photos(count: int, out: Path, *, seed: int = 7) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    people = sorted(LFW.glob("*/*.jpg"))
    paths = []
    for index in range(count):
        plan = _plan(rng, people)  # always drawn from rng, so a cached photo keeps the sequence identical
        path = out / f"event-{seed}-{index:03d}.jpg"
        if not path.exists():
            _compose(plan).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def photo_cast(count: int, *, seed: int = 7) -> list[list[tuple[Path, int]]]:
    """Who is in each of build_photos' photos, in the same order: (LFW photo pasted, its side in px)."""
    rng = random.Random(seed)
    people = sorted(LFW.glob("*/*.jpg"))
    return [_plan(rng, people)[1] for _ in range(count)]


def _plan(rng: random.Random, people: list[Path]) -> tuple[Path, list[tuple[Path, int]], list[tuple[int, int]]]:
    """(backdrop source, [(person's photo, side)], their top-left corners)."""
    backdrop_source = rng.choice(people)
    large = rng.randint(2, 4)
    small = rng.randint(2, 6)
    picks = [(rng.choice(people), rng.randint(*LARGE_SIDES)) for _ in range(large)]
    picks += [(rng.choice(people), rng.randint(*SMALL_SIDES)) for _ in range(small)]
    return backdrop_source, picks, _slots(rng, [side for _, side in picks])


def _compose(plan: tuple[Path, list[tuple[Path, int]], list[tuple[int, int]]]) -> Image.Image:
    backdrop_source, picks, slots = plan
    with Image.open(backdrop_source) as source:  # a corner of a news photo: its background, no face
        backdrop = source.convert("RGB").crop((0, 0, 36, 24)).filter(ImageFilter.GaussianBlur(1))
    canvas = backdrop.resize(SIZE, Image.Resampling.BICUBIC)
    # Sensor-like grain: a real 24 MP JPEG is 6–12 MB, a smooth synthetic one a third of that,
    # and entropy decoding is most of a decode's cost.
    grain = Image.merge("RGB", [Image.effect_noise(SIZE, 40)] * 3)
    canvas = Image.blend(canvas, grain, 0.25)
    for (person, side), (x, y) in zip(picks, slots):
        with Image.open(person) as face:
            canvas.paste(face.convert("RGB").resize((side, side), Image.Resampling.BICUBIC), (x, y))
    return canvas


def _slots(rng: random.Random, sides: list[int]) -> list[tuple[int, int]]:
    """Non-overlapping top-left corners (large photos first), by rejection sampling."""
    placed: list[tuple[int, int, int]] = []
    for side in sides:
        for _ in range(200):
            x, y = rng.randint(0, SIZE[0] - side), rng.randint(0, SIZE[1] - side)
            if all(x + side <= px or px + ps <= x or y + side <= py or py + ps <= y for px, py, ps in placed):
                break
        placed.append((x, y, side))
    return [(x, y) for x, y, _ in placed]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench-photos")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for path in build_photos(args.count, args.out, seed=args.seed):
        print(path)


if __name__ == "__main__":
    main()
