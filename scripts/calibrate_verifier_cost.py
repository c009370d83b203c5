"""CPU time per photo of the pipeline with and without the false-face verifier.

    .venv/bin/python scripts/calibrate_verifier_cost.py [--repeats 3]

Photos: bbt group shots and portraits (../shared/data/faces), analysed one at a time after a
warm-up; process CPU seconds (time.process_time), best of --repeats per configuration.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_sets import DEFAULT_FACES  # noqa: E402

from recognition.ml.pipeline import get_pipeline  # noqa: E402
from visage.settings.surface import Surface  # noqa: E402


def cpu_per_photo(pipeline, paths, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for path in paths:
            pipeline.analyze(path)
        best = min(best, (time.process_time() - started) / len(paths))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    paths = sorted((DEFAULT_FACES / "bbt" / "group").glob("*.jpg")) + sorted((DEFAULT_FACES / "portraits").glob("*.jpg"))
    pipeline = get_pipeline(Surface().ml_config())
    pipeline.analyze(paths[0])
    with_verifier = cpu_per_photo(pipeline, paths, args.repeats)
    real_score = pipeline.verifier.score
    pipeline.verifier.score = lambda aligned: 1.0
    without = cpu_per_photo(pipeline, paths, args.repeats)
    pipeline.verifier.score = real_score
    print(f"{len(paths)} photos: CPU s/photo without verifier {without:.3f}, with {with_verifier:.3f}"
          f" ({with_verifier / without:.2f}x)")


if __name__ == "__main__":
    main()
