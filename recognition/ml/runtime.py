"""Device choice and CPU thread cap shared by the detector and the embedders."""
from __future__ import annotations

import threading

import torch

# One intra-op thread per process by default: MTCNN is thousands of tiny ops (per-candidate
# resizes) where OpenMP synchronisation costs more than it saves, and workers parallelise across
# processes. Measured on the 2-core dev machine under load: MTCNN on a 1024 px group photo
# 0.67-0.83 s with 1 thread vs 1.9-5.7 s with 2; SFace 0.060-0.076 s/face vs 0.116-0.142 s.
# Hence VISAGE_TORCH_THREADS=1 by default (visage/settings/surface.py), passed in as MLConfig.torch_threads.
_configured = threading.Event()


def default_device(device: torch.device | str | None = None) -> torch.device:
    """The requested device, else CUDA when present, else CPU."""
    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def configure_torch_threads(wanted: int | None) -> None:
    """Lower torch's intra-op threads to ``wanted``, once per process; None leaves torch alone (the
    configuration surface passes None where the operator set OMP_NUM_THREADS / MKL_NUM_THREADS).
    The cap only ever lowers the count, so a caller's smaller setting is kept.
    """
    if wanted is None or _configured.is_set():
        return
    _configured.set()
    if torch.get_num_threads() > wanted:
        torch.set_num_threads(max(1, wanted))
