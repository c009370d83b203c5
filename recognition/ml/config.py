"""What the face pipeline is told by its caller: this package reads no environment and no settings.

Django code builds it with ``recognition.conf.ml_config()`` (from the settings the configuration
surface publishes); Django-free scripts with ``visage.settings.surface.Surface().ml_config()``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MLConfig:
    embedder: str  # the default embedder's name (recognition.ml.embedders.EMBEDDERS)
    facenet_weights: str | None  # state-dict file for the facenet embedder
    torch_threads: int | None  # cap on torch's intra-op threads; None leaves torch alone
    cpu_bf16: bool  # bf16 autocast where the CPU computes it natively
    max_pixels: int  # larger images are refused as decompression bombs
    work_long_side: int  # the one decode per photo is at least this large (the web preview's size)
    decode_limits: tuple[float, int] | None  # (CPU seconds, memory bytes) of one decode, in a child
