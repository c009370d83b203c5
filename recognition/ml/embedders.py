"""Face embedders behind one interface; each has a name, version and dimension stored per Face."""
from __future__ import annotations

import functools
import hashlib
import warnings
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from PIL import Image

from recognition.ml import sface
from recognition.ml.align import ARCFACE, FaceTemplate
from recognition.ml.compat import import_facenet_pytorch
from recognition.ml.config import MLConfig
from recognition.ml.runtime import configure_torch_threads, default_device

FACENET_WEIGHTS_SETTING = "VISAGE_FACENET_WEIGHTS"  # named in the error when the weights are missing
# Faces per forward pass (their mirror images ride along). On CPU small batches are both faster
# per face and far lighter: SFace's early feature maps are large (measured, one thread, crops per
# pass incl. mirrors: 16 -> 11 ms/face and +0.3 GB peak; 128 -> 18 ms/face and +2.7 GB, bf16).
CPU_BATCH_SIZE = 8
GPU_BATCH_SIZE = 256
# facenet-pytorch's LFW evaluation crops the MTCNN box with a 14 px margin at 160 px; the ArcFace
# template spans about the same face area, so the same 5-point alignment is used, scaled to 160.
FACENET_TEMPLATE = ARCFACE.scaled(160)


class EmbedderUnavailable(RuntimeError):
    """The embedder asked for cannot run here (unknown name, or weights missing)."""


class Embedder(ABC):
    """Aligned face crops in, L2-normalised float32 vectors out."""

    name: str
    version: str
    dim: int
    template: FaceTemplate  # the crop this model expects (size and landmark positions)

    @abstractmethod
    def embed(self, aligned_faces: Sequence[Image.Image]) -> np.ndarray:
        """(n, dim) float32, each row of unit length."""


class TorchFlipEmbedder(Embedder):
    """Runs a torch model in batches and averages each face with its mirror image.

    Flip averaging ("flip test", as in the ArcFace evaluation) cancels pose and lighting
    asymmetry; measured on bbt/people it lifts SFace's pair AUC to 1.000.
    """

    def __init__(self, model: torch.nn.Module, device: torch.device, *, flip: bool = True, bf16: bool = False):
        self.device = device
        self.model = compile_for_inference(model.eval().to(device), device, self.template.size, bf16=bf16)
        self.flip = flip

    def preprocess(self, batch: torch.Tensor) -> torch.Tensor:
        """(n, 3, size, size) float RGB 0..255 to the model's input."""
        return batch

    def embed(self, aligned_faces: Sequence[Image.Image]) -> np.ndarray:
        if not aligned_faces:
            return np.zeros((0, self.dim), dtype=np.float32)
        size = GPU_BATCH_SIZE if self.device.type == "cuda" else CPU_BATCH_SIZE
        chunks = [self._embed_batch(aligned_faces[i:i + size]) for i in range(0, len(aligned_faces), size)]
        return np.concatenate(chunks).astype(np.float32)

    def _embed_batch(self, faces: Sequence[Image.Image]) -> np.ndarray:
        size = self.template.size
        arrays = [np.asarray(face.convert("RGB").resize((size, size)) if face.size != (size, size)
                             else face.convert("RGB"), dtype=np.float32) for face in faces]
        batch = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).to(self.device)
        if self.device.type == "cuda":
            batch = batch.half()
        with torch.inference_mode():
            if self.flip:  # faces and their mirror images in one pass
                both = _normalise(self.model(self.preprocess(torch.cat([batch, batch.flip(3)]))).float())
                vectors = _normalise(both[:len(faces)] + both[len(faces):])
            else:
                vectors = _normalise(self.model(self.preprocess(batch)).float())
        return vectors.cpu().numpy()


class Bfloat16Cpu(torch.nn.Module):
    """Runs a model under bfloat16 autocast, channels-last, on a CPU with native bf16 (AVX512-BF16,
    AMX). Measured for SFace, one thread, batch 32, AMD EPYC (Zen 4): 8.7 ms/face vs 28 ms for the
    traced fp32 model; cosine to the fp32 vectors >= 0.9995 (scripts/bench_embedders.py)."""

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model.to(memory_format=torch.channels_last)

    def forward(self, batch: torch.Tensor) -> torch.Tensor:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            return self.model(batch.contiguous(memory_format=torch.channels_last)).float()


def cpu_has_native_bfloat16() -> bool:
    """bf16 is only a win where the CPU computes it natively; elsewhere it is emulated and slow."""
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def compile_for_inference(model: torch.nn.Module, device: torch.device, size: int, *, bf16: bool = False
                          ) -> torch.nn.Module:
    """CPU with native bf16, where ``bf16`` allows it: bf16 autocast (see Bfloat16Cpu). Other CPUs: trace and freeze
    (TorchScript ``optimize_for_inference`` folds and fuses the convolutions onto oneDNN);
    measured for SFace with one thread, batch 32: 17 ms/face vs 80 ms eager, same vectors (max abs
    diff 4e-7). CUDA: half precision, as measured in MODELS.md (fp16 ~1.5x fp32).
    A model that cannot be traced stays eager."""
    if device.type == "cuda":
        return model.half()
    if bf16 and cpu_has_native_bfloat16():
        return Bfloat16Cpu(model)
    example = torch.zeros(2, 3, size, size)
    try:
        with torch.inference_mode(False), torch.no_grad(), warnings.catch_warnings():
            # The tracer warns where a branch depends on a shape; those shapes (channels) are fixed.
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            warnings.simplefilter("ignore", DeprecationWarning)  # TorchScript is deprecated, not gone (torch 2.13)
            return torch.jit.optimize_for_inference(torch.jit.trace(model, example))
    except Exception:  # noqa: BLE001 - an untraceable model is slower, never wrong
        return model


def _normalise(vectors: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.normalize(vectors, p=2, dim=1)


class SFaceEmbedder(TorchFlipEmbedder):
    """OpenCV Zoo SFace (Apache-2.0), 128-D, on the ArcFace 112x112 crop."""

    name = "sface"
    dim = sface.EMBEDDING_DIM
    template = ARCFACE

    def __init__(self, model_path: Path | str | None = None, device: torch.device | str | None = None, *,
                 bf16: bool = False):
        model = sface.load_sface(model_path)
        super().__init__(model, default_device(device), bf16=bf16)
        # The version pins the file (by hash) and the flip averaging: both change the vectors.
        self.version = f"2021dec-int8bq-{sface.SFACE_SHA256[:12]}-flipavg"


class SFaceFastEmbedder(SFaceEmbedder):
    """SFace with one pass instead of face + mirror: half the embedding cost on CPU workers.

    Its vectors differ from `sface` ones, so switching an event re-embeds it (reembed_event).
    """

    name = "sface-fast"

    def __init__(self, model_path: Path | str | None = None, device: torch.device | str | None = None, *,
                 bf16: bool = False):
        super().__init__(model_path, device, bf16=bf16)
        self.flip = False
        self.version = f"2021dec-int8bq-{sface.SFACE_SHA256[:12]}-single"


class FacenetEmbedder(TorchFlipEmbedder):
    """facenet-pytorch InceptionResnetV1 (VGGFace2 weights supplied by the operator), 512-D, 160 px."""

    name = "facenet"
    dim = 512
    template = FACENET_TEMPLATE

    def __init__(self, weights_path: Path | str | None = None, device: torch.device | str | None = None, *,
                 bf16: bool = False):
        path = Path(weights_path or "")
        if not str(path) or not path.is_file():
            raise EmbedderUnavailable(
                f"facenet embedder needs InceptionResnetV1 weights: set {FACENET_WEIGHTS_SETTING} to a "
                f"state-dict file (e.g. 20180402-114759-vggface2.pt); not found: {str(path) or '(unset)'}")
        model = import_facenet_pytorch().InceptionResnetV1(pretrained=None, classify=False)
        state = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict({k: v for k, v in state.items() if not k.startswith("logits.")})
        super().__init__(model, default_device(device), bf16=bf16)
        self.version = f"inception-resnet-v1-{_file_sha256(path)[:12]}-flipavg"

    def preprocess(self, batch: torch.Tensor) -> torch.Tensor:
        return (batch - 127.5) / 128.0  # facenet-pytorch's fixed_image_standardization


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


EMBEDDERS = {"sface": SFaceEmbedder, "sface-fast": SFaceFastEmbedder, "facenet": FacenetEmbedder}


def get_embedder(config: MLConfig, name: str | None = None) -> Embedder:
    """The process-wide instance of the named embedder (default: the configured one)."""
    configure_torch_threads(config.torch_threads)
    return _cached_embedder(name or config.embedder, config.facenet_weights, config.cpu_bf16)


@functools.lru_cache(maxsize=None)
def _cached_embedder(name: str, facenet_weights: str | None, bf16: bool) -> Embedder:
    if name not in EMBEDDERS:
        raise EmbedderUnavailable(f"unknown embedder {name!r}; available: {', '.join(sorted(EMBEDDERS))}")
    if name == "facenet":
        return FacenetEmbedder(facenet_weights, bf16=bf16)
    return EMBEDDERS[name](bf16=bf16)
