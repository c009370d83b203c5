"""Side by side, per hostile file: CPU seconds and peak MiB of a plain Pillow decode (no guard,
stopped after --timeout s) and of each guarded path (guest selfie, upload check, worker decode).

    python scripts/bench_hostile_images.py [--before-tree DIR] [--timeout 60]

The files are built from the real photos in /work/shared/data (tests/abuse/hostile_images.py);
each (file, path) is measured in a fresh process (tests/abuse/decode_cost.py): this process's
CPU and peak RSS growth plus the decode child's. --before-tree measures the same paths on an
older checkout too (e.g. `git archive <commit> | tar -x -C DIR`). Budgets are the defaults
(uploads 1 GiB, selfies 128 MiB and 1 s); a refused file shows its reason.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.abuse.hostile_images import CASES  # noqa: E402

PATHS = ("plain", "selfie", "upload", "worker")


def measure(tree: Path, jobs: list[tuple[str, str, Path]], timeout: int) -> list[dict]:
    lines = "".join(json.dumps([path, str(file), timeout]) + "\n" for _, path, file in jobs)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "visage.settings.test"}
    done = subprocess.run([sys.executable, str(REPO / "tests/abuse/decode_cost.py")], cwd=tree, env=env, input=lines,
                          capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.strip().splitlines()]


def cell(result: dict, timeout: int) -> str:
    if result.get("timed_out"):
        return f">{timeout} s (stopped)"
    cpu = result["cpu_s"] + result["child_cpu_s"]
    mib = result["peak_mib"] + result["child_peak_mib"]
    verdict = "ok" if result["accepted"] else f"refused: {result['message'][:60]}"
    return f"{cpu:6.2f} s {mib:7.1f} MiB  {verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-tree", type=Path, help="an older checkout to measure the same paths on")
    parser.add_argument("--timeout", type=int, default=60, help="seconds before an unguarded decode is stopped")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files, sizes = {}, {}
        for name, build in CASES.items():
            files[name] = Path(folder) / name
            files[name].write_bytes(build())
            sizes[name] = files[name].stat().st_size
        jobs = [(name, path, files[name]) for name in CASES for path in PATHS]
        trees = {"guarded": REPO, **({"before": options.before_tree} if options.before_tree else {})}
        results = {label: measure(tree, jobs, options.timeout) for label, tree in trees.items()}
    for index, (name, path, file) in enumerate(jobs):
        if path == "plain":
            print(f"\n{name} ({sizes[name]:,} bytes)")
        for label in results:
            if path == "plain" and label != "guarded":
                continue
            tag = "plain Pillow" if path == "plain" else f"{path} ({label})"
            print(f"  {tag:20} {cell(results[label][index], options.timeout)}")


if __name__ == "__main__":
    main()
