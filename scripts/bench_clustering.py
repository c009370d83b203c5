"""Compare the face clustering methods: quality, time, memory, incremental assignment.

    python scripts/bench_clustering.py                      # synthetic 2k/20k + 100k + assignment
    python scripts/bench_clustering.py --embeddings E.npy --labels L.npy --thresholds 0.4,0.45
    python scripts/bench_clustering.py --real /work/shared/data/faces/bbt/people

Synthetic events come from recognition.clustering.synthetic (a mixture model on the unit
sphere; the cosine distributions it produces are printed first). Every clustering run goes
through the public ``cluster_faces``, so times include building the similarity graph.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recognition.clustering import (  # noqa: E402
    ASSIGNMENT_METHODS,
    DEFAULT_METHOD,
    METHODS,
    assign_to_people,
    build_similarity_graph,
    cannot_link_from_groups,
    cluster_faces,
)
from recognition.clustering.constraints import normalise_cannot_link, violated_pairs  # noqa: E402
from recognition.clustering.dbscan import cluster_dbscan  # noqa: E402
from recognition.clustering.metrics import (  # noqa: E402
    bcubed_scores,
    mean_silhouette,
    pairwise_scores,
)
from recognition.clustering.synthetic import synthetic_event  # noqa: E402

HEADER = (f"{'data':<14}{'method':<18}{'thr':>5}{'faces':>8}{'people':>8}{'found':>8}"
          f"{'pairP':>8}{'pairR':>8}{'pairF1':>8}{'B3F1':>8}{'silh':>7}{'viol':>6}{'time s':>8}")


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",") if v]


def quality_row(name, method, threshold, embeddings, labels, cannot_link) -> str:
    started = time.perf_counter()
    found = cluster_faces(embeddings, threshold=threshold, method=method, cannot_link=cannot_link)
    elapsed = time.perf_counter() - started
    pair, bcubed = pairwise_scores(labels, found), bcubed_scores(labels, found)
    violations = len(violated_pairs(found, np.asarray(cannot_link).reshape(-1, 2)))
    return (f"{name:<14}{method:<18}{threshold:>5.2f}{len(labels):>8}{len(np.unique(labels)):>8}"
            f"{found.max() + 1:>8}{pair.precision:>8.4f}{pair.recall:>8.4f}{pair.f1:>8.4f}"
            f"{bcubed.f1:>8.4f}{mean_silhouette(embeddings, found):>7.3f}{violations:>6}"
            f"{elapsed:>8.2f}")


def compare_methods(name, embeddings, labels, cannot_link, thresholds, methods) -> None:
    for threshold in thresholds:
        for method in methods:
            print(quality_row(name, method, threshold, embeddings, labels, cannot_link), flush=True)


def describe_synthetic(seed: int) -> None:
    event = synthetic_event(2000, seed=seed)
    similarity = event.embeddings @ event.embeddings.T
    upper = np.triu(np.ones_like(similarity, dtype=bool), k=1)
    same = (event.labels[:, None] == event.labels[None, :]) & upper
    different = ~(event.labels[:, None] == event.labels[None, :]) & upper
    print("Synthetic events: per-identity centre on the unit sphere (sharing a common direction)"
          "\n+ per-face isotropic noise of varying size, 128-D, lognormal identity sizes (mean 20),"
          "\nfaces packed into photos of 1-6 distinct people (cannot-link pairs).")
    print("  same-identity cosine  p5/p50/p95 = "
          + "/".join(f"{v:.2f}" for v in np.percentile(similarity[same], [5, 50, 95])))
    print("  different-identity    p50/p99/max = "
          + "/".join(f"{v:.2f}" for v in np.percentile(similarity[different], [50, 99, 100])))


def dbscan_min_samples_sweep(size: int, thresholds, seed: int) -> None:
    """How DBSCAN's one parameter moves its quality (it is fixed in recognition.clustering)."""
    event = synthetic_event(size, seed=seed + size)
    pairs = normalise_cannot_link(cannot_link_from_groups(event.photo_ids.tolist()), size)
    print(f"\nDBSCAN min_samples on synthetic {size // 1000}k (pairF1 / B3F1):")
    for threshold in thresholds:
        graph = build_similarity_graph(event.embeddings, threshold=threshold)
        cells = []
        for min_samples in (2, 3, 5, 8):
            found = cluster_dbscan(graph, event.embeddings, cannot_link=pairs,
                                   min_samples=min_samples)
            cells.append(f"{min_samples}: {pairwise_scores(event.labels, found).f1:.4f} / "
                         f"{bcubed_scores(event.labels, found).f1:.4f}")
        print(f"  threshold {threshold:.2f}   " + "   ".join(cells), flush=True)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _big_run(method: str | None, faces: int, threshold: float, seed: int, results) -> None:
    """In a child process, so ru_maxrss is this run's own peak, not the whole benchmark's.
    ``method=None`` times the similarity graph alone (the part every method shares)."""
    event = synthetic_event(faces, seed=seed)
    cannot_link = event.cannot_link()
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    if method is None:
        build_similarity_graph(event.embeddings, threshold=threshold)
        scores = ()
    else:
        found = cluster_faces(event.embeddings, threshold=threshold, method=method,
                              cannot_link=cannot_link)
        scores = (pairwise_scores(event.labels, found).f1, bcubed_scores(event.labels, found).f1,
                  len(violated_pairs(found, cannot_link)), len(cannot_link))
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put((elapsed, cpu, baseline_mb, peak_mb, scores))


def big_runs(methods, faces: int, threshold: float, seed: int) -> None:
    print(f"\nFrom scratch, {faces} faces, threshold {threshold} (fresh process per run; "
          f"wall and CPU seconds, CPU counts both BLAS threads):")
    context = multiprocessing.get_context("spawn")  # fork would inherit our RSS
    for method in [None, *methods]:
        results = context.Queue()
        child = context.Process(target=_big_run, args=(method, faces, threshold, seed, results))
        child.start()
        elapsed, cpu, baseline, peak, scores = results.get()
        child.join()
        load = os.getloadavg()[0]  # other work on the machine inflates wall time, not CPU
        line = (f"  {method or 'graph only':<18}{elapsed:6.1f} s wall {cpu:6.1f} s CPU   "
                f"load {load:4.1f}   peak RSS {peak:5.0f} MB (data alone {baseline:.0f} MB)")
        if scores:
            line += (f"   pairF1 {scores[0]:.4f}  B3F1 {scores[1]:.4f}   "
                     f"cannot-link violated {scores[2]}/{scores[3]}")
        print(line, flush=True)


def assignment_runs(people: int, new_faces: int, threshold: float, seed: int) -> None:
    event = synthetic_event(people * 10, mean_faces_per_identity=10, seed=seed)
    rng = np.random.default_rng(seed)
    newcomer = np.zeros(len(event.labels), dtype=bool)
    newcomer[rng.choice(len(event.labels), new_faces, replace=False)] = True
    known, labels = event.embeddings[~newcomer], event.labels[~newcomer]
    print(f"\nIncremental assignment: {new_faces} new faces -> {len(np.unique(labels))} people "
          f"({len(labels)} existing faces), threshold {threshold}:")
    photos = event.photo_ids[newcomer]
    for method in ASSIGNMENT_METHODS:
        started = time.perf_counter()
        found, _ = assign_to_people(event.embeddings[newcomer], known, labels,
                                    threshold=threshold, method=method, photo_ids=photos.tolist())
        elapsed = time.perf_counter() - started
        truth = np.where(np.isin(event.labels[newcomer], labels), event.labels[newcomer], -1)
        print(f"  {method:<9} {elapsed:6.3f} s   correct {np.mean(found == truth):.4f}   "
              f"unassigned {np.mean(found == -1):.3f} (truly new {np.mean(truth == -1):.3f})")


def embed_folder(folder: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """people/<name>/*.png -> the largest face's embedding per image, folder names as labels."""
    from recognition.ml.pipeline import get_pipeline, largest_face
    from visage.settings.surface import Surface

    pipeline, vectors, names, missed = get_pipeline(Surface().ml_config()), [], [], []
    for path in sorted(p for p in folder.glob("*/*") if p.suffix.lower() in {".png", ".jpg"}):
        face = largest_face(pipeline.analyze(str(path)))
        if face is None:
            missed.append(str(path))
            continue
        vectors.append(face.embedding / np.linalg.norm(face.embedding))
        names.append(path.parent.name)
    people = sorted(set(names))
    return np.asarray(vectors, np.float32), np.array([people.index(n) for n in names]), missed


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,20000", help="synthetic event sizes")
    parser.add_argument("--thresholds", default="0.40,0.45,0.50,0.55", type=_floats)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--big", type=int, default=100_000, help="0 skips the from-scratch run")
    parser.add_argument("--big-threshold", type=float, default=0.45)
    parser.add_argument("--big-methods", default=DEFAULT_METHOD)
    parser.add_argument("--assign-people", type=int, default=5000, help="0 skips assignment")
    parser.add_argument("--assign-new", type=int, default=1000)
    parser.add_argument("--embeddings", type=Path, help="(n, d) .npy of real embeddings")
    parser.add_argument("--labels", type=Path, help="(n,) .npy of their identities")
    parser.add_argument("--real", type=Path, help="folder of people/<name>/*.png to embed")
    parser.add_argument("--dbscan-sweep", type=int, default=0, metavar="FACES",
                        help="also compare DBSCAN min_samples on an event of this size")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def run_real(arguments, methods) -> None:
    if arguments.embeddings is not None:
        embeddings = np.load(arguments.embeddings).astype(np.float32)
        labels = np.load(arguments.labels)
        name = arguments.embeddings.stem[:13]
    else:
        embeddings, labels, missed = embed_folder(arguments.real)
        print(f"{arguments.real}: {len(labels)} faces embedded, no face found in {len(missed)}")
        name = arguments.real.name[:13]
    print(HEADER)
    compare_methods(name, embeddings, labels, (), arguments.thresholds, methods)


def main() -> None:
    arguments = parse_arguments()
    methods = arguments.methods.split(",")
    print(f"numpy {np.__version__}; DEFAULT_METHOD = {DEFAULT_METHOD}\n")
    if arguments.embeddings is not None or arguments.real is not None:
        run_real(arguments, methods)
        return
    describe_synthetic(arguments.seed)
    print("\n" + HEADER)
    for size in (int(v) for v in arguments.sizes.split(",") if v):
        event = synthetic_event(size, seed=arguments.seed + size)
        compare_methods(f"synthetic {size // 1000}k", event.embeddings, event.labels,
                        cannot_link_from_groups(event.photo_ids.tolist()),
                        arguments.thresholds, methods)
    if arguments.dbscan_sweep:
        dbscan_min_samples_sweep(arguments.dbscan_sweep, arguments.thresholds, arguments.seed)
    if arguments.big:
        big_runs(arguments.big_methods.split(","), arguments.big, arguments.big_threshold,
                 arguments.seed)
    if arguments.assign_people:
        assignment_runs(arguments.assign_people, arguments.assign_new,
                        arguments.big_threshold, arguments.seed)


if __name__ == "__main__":
    main()
