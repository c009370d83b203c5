"""Write every same/different pair of a labelled folder (<dir>/<person>/<photo>) as a pairs CSV.

    .venv/bin/python scripts/make_pairs.py ../shared/data/faces/bbt/people > /tmp/bbt_pairs.csv
    .venv/bin/python manage.py evaluate_recognition --pairs /tmp/bbt_pairs.csv --images ../shared/data/faces/bbt/people

Paths in the CSV are relative to the folder; the label is "yes" when both photos share a folder.
"""
from __future__ import annotations

import argparse
import csv
import sys
from itertools import combinations
from pathlib import Path

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}


def labelled_images(root: Path) -> list[tuple[str, str]]:
    """(relative path, person) for every image one folder below root, sorted."""
    return [(path.relative_to(root).as_posix(), path.parent.name)
            for path in sorted(root.glob("*/*")) if path.suffix.lower() in IMAGE_SUFFIXES]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--output", type=Path, default=None, help="default: stdout")
    args = parser.parse_args()
    images = labelled_images(args.folder)
    with (open(args.output, "w", newline="") if args.output else sys.stdout) as handle:
        writer = csv.writer(handle)
        writer.writerow(["image_a", "image_b", "same"])
        for (a, person_a), (b, person_b) in combinations(images, 2):
            writer.writerow([a, b, "yes" if person_a == person_b else "no"])


if __name__ == "__main__":
    main()
