"""Device choice and CPU thread cap shared by the detector and the embedders."""
from __future__ import annotations

import os
import threading

import torch

# The models here are small (MTCNN, a MobileFaceNet-sized SFace): past ~4 threads a process gains
# little, and Celery runs several processes per host, so more threads would only oversubscribe.
DEFAULT_MAX_THREADS = 4
_configured = threading.Event()


def default_device(device: torch.device | str | None = None) -> torch.device:
    """The requested device, else CUDA when present, else CPU."""
    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def configure_torch_threads() -> None:
    """Lower torch's intra-op threads to a sensible cap, once, unless the caller chose already.

    OMP_NUM_THREADS / MKL_NUM_THREADS mean the operator decided; VISAGE_TORCH_THREADS sets our cap.
    The cap only ever lowers the count, so a caller's smaller setting is kept.
    """
    if _configured.is_set():
        return
    _configured.set()
    if os.environ.get("OMP_NUM_THREADS") or os.environ.get("MKL_NUM_THREADS"):
        return
    wanted = int(os.environ.get("VISAGE_TORCH_THREADS") or min(DEFAULT_MAX_THREADS, os.cpu_count() or 1))
    if torch.get_num_threads() > wanted:
        torch.set_num_threads(max(1, wanted))
