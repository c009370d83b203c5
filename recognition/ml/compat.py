"""The one place that deals with torchvision's absence on CPU machines.

facenet-pytorch imports two helpers from torchvision at module import time
(``torchvision.ops.boxes.batched_nms`` and ``torchvision.transforms.functional.to_tensor``).
Every torchvision wheel on PyPI is a CUDA build: on the CPU machines it installs but fails to
import (``operator torchvision::nms does not exist``), and there is no sdist. So:

* if a real torchvision imports, facenet-pytorch uses it (GPU images ship a matching pair);
* otherwise a minimal stand-in is placed in ``sys.modules`` only while facenet-pytorch is being
  imported, then removed, so no other library ever mistakes it for the real package.

Use ``import_facenet_pytorch()`` instead of ``import facenet_pytorch``.
"""
from __future__ import annotations

import sys
import threading
import types

import numpy as np
import torch

_IMPORT_LOCK = threading.Lock()


def batched_nms(boxes: torch.Tensor, scores: torch.Tensor, idxs: torch.Tensor,
                iou_threshold: float) -> torch.Tensor:
    """torchvision.ops.batched_nms semantics: NMS per category ``idxs``; kept indices by score."""
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64, device=boxes.device)
    # One NMS per category (not torchvision's coordinate-offset trick: offsets that depend on the
    # whole batch's extent would round each photo's boxes differently in different batches).
    categories = idxs.detach().cpu().numpy()
    kept = []
    for category in np.unique(categories):
        members = np.flatnonzero(categories == category)
        index = torch.as_tensor(members, device=boxes.device)
        kept.append(members[nms(boxes[index], scores[index], iou_threshold).cpu().numpy()])
    kept = np.concatenate(kept)
    order = np.argsort(-scores.detach().cpu().double().numpy()[kept], kind="stable")
    return torch.as_tensor(kept[order], dtype=torch.int64, device=boxes.device)


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy NMS (torchvision.ops.nms semantics: areas without the +1, IoU > threshold drops).

    Ties in score (MTCNN's probabilities saturate at 1.0) are broken by position (a stable sort),
    so a photo's faces do not depend on which other photos share its batch. The loop runs in numpy:
    per kept box it is a handful of vector ops, where torch's per-op overhead dominated.
    """
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64, device=boxes.device)
    b = boxes.detach().cpu().double().numpy()
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    areas = (x2 - x1) * (y2 - y1)
    order = np.argsort(-scores.detach().cpu().double().numpy(), kind="stable")
    keep = []
    while order.size > 0:
        best, rest = order[0], order[1:]
        keep.append(best)
        width = np.clip(np.minimum(x2[best], x2[rest]) - np.maximum(x1[best], x1[rest]), 0, None)
        height = np.clip(np.minimum(y2[best], y2[rest]) - np.maximum(y1[best], y1[rest]), 0, None)
        inter = width * height
        iou = inter / (areas[best] + areas[rest] - inter)
        order = rest[iou <= iou_threshold]
    return torch.as_tensor(np.array(keep, dtype=np.int64), device=boxes.device)


def to_tensor(picture) -> torch.Tensor:
    """torchvision.transforms.functional.to_tensor: HWC image to CHW float, uint8 scaled to 0..1."""
    array = np.array(picture, copy=True)
    if array.ndim == 2:
        array = array[:, :, None]
    tensor = torch.from_numpy(array).permute(2, 0, 1).contiguous()
    if tensor.dtype == torch.uint8:
        return tensor.to(torch.float32).div(255)
    return tensor


def _real_torchvision_available() -> bool:
    try:
        import torchvision.ops.boxes  # noqa: F401
        import torchvision.transforms.functional  # noqa: F401
    except Exception:  # noqa: BLE001 - a CUDA-only build raises RuntimeError, not ImportError
        _forget_modules("torchvision")
        return False
    return True


def _forget_modules(prefix: str) -> None:
    for name in [n for n in sys.modules if n == prefix or n.startswith(prefix + ".")]:
        del sys.modules[name]


def _shim_modules() -> dict[str, types.ModuleType]:
    names = ["torchvision", "torchvision.ops", "torchvision.ops.boxes",
             "torchvision.transforms", "torchvision.transforms.functional"]
    modules = {name: types.ModuleType(name, "Visage stand-in; see recognition/ml/compat.py")
               for name in names}
    modules["torchvision.ops.boxes"].batched_nms = batched_nms
    modules["torchvision.ops.boxes"].nms = nms
    modules["torchvision.transforms.functional"].to_tensor = to_tensor
    for name, module in modules.items():
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(modules[parent], child, module)
    return modules


def import_facenet_pytorch() -> types.ModuleType:
    """Import facenet_pytorch, with the torchvision stand-in only if the real one cannot load."""
    with _IMPORT_LOCK:
        if "facenet_pytorch" in sys.modules or _real_torchvision_available():
            import facenet_pytorch
            return facenet_pytorch
        shims = _shim_modules()
        sys.modules.update(shims)
        try:
            import facenet_pytorch
        finally:
            for name in shims:
                sys.modules.pop(name, None)
        return facenet_pytorch
