"""SFace on this CPU, side by side: eager fp32, traced + frozen fp32, bf16 autocast (where native).

    python scripts/bench_embedders.py [--faces 64] [--threads 1]

Real aligned crops (bbt/people through the pipeline), one torch thread by default (as workers run).
Prints JSON: ms per face for each variant and the cosine between each variant's vectors and eager
fp32's. Asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from recognition.ml import sface  # noqa: E402
from recognition.ml.embedders import Bfloat16Cpu, cpu_has_native_bfloat16  # noqa: E402
from recognition.ml.pipeline import FacePipeline  # noqa: E402
from visage.settings.surface import Surface  # noqa: E402

PEOPLE = ROOT.parent / "shared" / "data" / "faces" / "bbt" / "people"


def crops(count: int) -> torch.Tensor:
    pipeline = FacePipeline(Surface().ml_config())
    faces = [face.aligned for path in sorted(PEOPLE.glob("*/*.png")) for face in pipeline.analyze(path)][:count]
    return torch.from_numpy(np.stack([np.asarray(face, dtype=np.float32) for face in faces])).permute(0, 3, 1, 2)


def timed(model, batch: torch.Tensor, repeat: int = 5) -> tuple[float, torch.Tensor]:
    with torch.inference_mode():
        out = model(batch)
        started = time.perf_counter()
        for _ in range(repeat):
            model(batch)
    return (time.perf_counter() - started) / repeat / len(batch) * 1000, torch.nn.functional.normalize(out.float())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    batch = crops(args.faces)
    eager = sface.load_sface().eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        traced = torch.jit.optimize_for_inference(torch.jit.trace(eager, batch[:2]))
    variants = {"fp32_eager": eager, "fp32_traced": traced}
    if cpu_has_native_bfloat16():
        variants["bf16_autocast"] = Bfloat16Cpu(sface.load_sface().eval())
    results, reference = {}, None
    for name, model in variants.items():
        ms, vectors = timed(model, batch)
        reference = vectors if reference is None else reference
        results[name] = {"ms_per_face": round(ms, 2), "min_cosine_to_fp32": round(float((vectors * reference).sum(1).min()), 5)}
    print(json.dumps({"faces": len(batch), "threads": args.threads, "native_bf16": cpu_has_native_bfloat16(),
                      "variants": results}, indent=2))


if __name__ == "__main__":
    main()
