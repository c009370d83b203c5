"""A batched MTCNN cascade on facenet-pytorch's P-, R- and O-nets (weights from its wheel).

The maths is facenet-pytorch's ``detect_face``: pyramid factor 0.709 from 12/min_face_size,
thresholds (0.6, 0.7, 0.7), NMS 0.5 per scale, 0.7 per image, 0.7 after R-net, 0.7 "Min" after
O-net, box regression, rerec, pad and landmarks. It departs from it for speed only:

* Each pyramid level is resized per image and letterboxed per level, so photos of different sizes
  share every P-net pass while each image's level holds exactly the pixels of a single-image run
  (letterboxing the inputs instead would change every level's area resampling).
* R-net and O-net crops are taken for all boxes at once from integral images (summed-area tables):
  ``interpolate(mode="area")`` on an integer crop is a mean over integer-bounded bins, i.e. four
  table lookups per bin. facenet-pytorch slices and resamples each box in a Python loop.
* One NMS call per step for all images (and scales): NMS categories keep them apart.
* Boxes cropping to nothing are dropped (facenet-pytorch then mismatches its box and crop lists).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from recognition.ml.compat import import_facenet_pytorch
from recognition.ml.runtime import default_device

PYRAMID_FACTOR = 0.709
STAGE_THRESHOLDS = (0.6, 0.7, 0.7)
# facenet-pytorch's NMS IoU limits: within a pyramid scale, across scales, after R-net, after O-net.
NMS_SCALE, NMS_IMAGE, NMS_REFINE, NMS_OUTPUT = 0.5, 0.7, 0.7, 0.7
PNET_CELL, PNET_STRIDE = 12, 2
# Pixels per P-net pass and crops per R/O-net pass: bound memory (P-net's conv1 alone holds 10
# floats per pixel) and still fill a GPU. On CPU batching saves nothing, so passes stay small:
# eight 1536x1024 levels in one pass took +0.9 GB of activations, one at a time ~0.1 GB.
PNET_BATCH_PIXELS = {"cuda": 1 << 23, "cpu": 1 << 20}
CROP_BATCH = {"cuda": 4096, "cpu": 512}


@dataclass
class Faces:
    """One image's faces in its own pixel coordinates, in the cascade's output order."""

    boxes: np.ndarray  # (n, 4) x1, y1, x2, y2
    probs: np.ndarray  # (n,)
    landmarks: np.ndarray  # (n, 5, 2) eyes, nose, mouth corners as (x, y)


@dataclass
class _Level:
    """One image's pyramid level: its scale and size in pixels."""

    image: int
    scale: float
    height: int
    width: int


def pyramid_scales(min_side: int, min_face_size: float) -> list[float]:
    """facenet-pytorch's scales: from 12/min_face_size down by 0.709 while the short side >= 12."""
    scale = 12.0 / min_face_size
    side = min_side * scale
    scales = []
    while side >= PNET_CELL:
        scales.append(scale)
        scale *= PYRAMID_FACTOR
        side *= PYRAMID_FACTOR
    return scales


class MtcnnCascade:
    """Detect faces in a list of RGB images of any sizes; one pass per pyramid level serves them all."""

    def __init__(self, device: torch.device | str | None = None, *, half: bool = False,
                 thresholds: Sequence[float] = STAGE_THRESHOLDS, pnet_batch_pixels: int | None = None,
                 letterbox: bool | None = None):
        self.device = default_device(device)
        # On CUDA levels of one orientation share a letterboxed pass (fewer, fuller kernel launches);
        # on CPU only equal sizes do, as batching saves nothing there and padding costs compute.
        self.letterbox = self.device.type == "cuda" if letterbox is None else letterbox
        # fp16 only on CUDA: CPU half convolutions are slow or missing, and box maths stays fp32 anyway.
        self.dtype = torch.float16 if half and self.device.type == "cuda" else torch.float32
        facenet_pytorch = import_facenet_pytorch()
        nets = facenet_pytorch.MTCNN(device=torch.device("cpu"))
        # Channels-last: on CPU (oneDNN) the 3-channel convolutions and the max-pools run 2-10x faster.
        self.pnet, self.rnet, self.onet = (
            net.to(self.device, self.dtype, memory_format=torch.channels_last).eval()
            for net in (nets.pnet, nets.rnet, nets.onet))
        # The NMS facenet-pytorch imported: torchvision's when it loads, else compat.batched_nms.
        self._batched_nms = facenet_pytorch.models.utils.detect_face.batched_nms
        self.thresholds = tuple(thresholds)
        kind = "cuda" if self.device.type == "cuda" else "cpu"
        self.pnet_batch_pixels = pnet_batch_pixels or PNET_BATCH_PIXELS[kind]
        self.crop_batch = CROP_BATCH[kind]

    @torch.inference_mode()
    def detect(self, images: Sequence[Image.Image | np.ndarray],
               min_face_size: float | Sequence[float] = 20) -> list[Faces]:
        """Faces per image (RGB PIL images or HxWx3 uint8 arrays); min_face_size per call or per image."""
        if isinstance(min_face_size, (int, float)):
            min_face_size = [min_face_size] * len(images)
        pixels = [torch.from_numpy(_rgb_array(image)).to(self.device) for image in images]
        tables = _IntegralImages(pixels)
        # Contiguous planar floats: area resampling runs ~4x faster than on the interleaved layout.
        boxes, owners = self._propose([image.permute(2, 0, 1).float().contiguous() for image in pixels],
                                      min_face_size)
        boxes, owners, (regression, *_) = self._refine(tables, boxes, owners, self.rnet, 24,
                                                       self.thresholds[1])
        keep = self._batched_nms(boxes[:, :4], boxes[:, 4], owners, NMS_REFINE)
        boxes = _rerec(_regress(boxes[keep], regression[keep], 1))
        boxes, owners, landmarks = self._output(tables, boxes, owners[keep])
        return _split(boxes, owners, landmarks, len(pixels))

    def _propose(self, pixels: list[torch.Tensor], min_face_sizes: Sequence[float]):
        """Stage one: P-net over every image's pyramid, NMS, regression, squared boxes."""
        pyramids = [pyramid_scales(min(p.shape[1:]), size) for p, size in zip(pixels, min_face_sizes)]
        found, levels = [], max(map(len, pyramids), default=0)
        for level in range(levels):
            jobs = [_Level(index, scales[level], int(pixels[index].shape[1] * scales[level] + 1),
                           int(pixels[index].shape[2] * scales[level] + 1))
                    for index, scales in enumerate(pyramids) if len(scales) > level]
            found += [self._pnet_pass(pixels, batch, level) for batch in self._passes(jobs)]
        if not found:
            return torch.zeros((0, 5), device=self.device), torch.zeros(0, dtype=torch.int64, device=self.device)
        boxes, owners, level_of = (torch.cat(parts) for parts in zip(*found))
        keep = self._batched_nms(boxes[:, :4], boxes[:, 4], owners * levels + level_of, NMS_SCALE)
        boxes, owners = boxes[keep], owners[keep]
        if max(scales[0] for scales in pyramids if scales) > 1.0:
            # Skipped otherwise, as a no-op: same-level pairs are under 0.5 IoU now, and boxes of
            # levels 0.709x apart reach at most ((11 + s) / (15.5 - s))^2 <= 0.68 IoU for scales s <= 1.
            keep = self._batched_nms(boxes[:, :4], boxes[:, 4], owners, NMS_IMAGE)
            boxes, owners = boxes[keep], owners[keep]
        # Stage one regresses with the box size without facenet's usual +1 (as detect_face does).
        return _rerec(_regress(boxes[:, :5], boxes[:, 5:9], 0)), owners

    def _passes(self, jobs: list["_Level"]):
        """Levels sharing a P-net pass (see ``letterbox``), within the pixel budget."""
        groups: dict[object, list[_Level]] = {}
        for job in sorted(jobs, key=lambda job: (job.height, job.width), reverse=True):
            key = job.height > job.width if self.letterbox else (job.height, job.width)
            groups.setdefault(key, []).append(job)
        for group in groups.values():
            while group:
                step = max(1, self.pnet_batch_pixels // (group[0].height * max(j.width for j in group)))
                yield group[:step]
                group = group[step:]

    def _pnet_pass(self, pixels, jobs: list["_Level"], level: int):
        """Candidate boxes (x1, y1, x2, y2, score, 4 offsets) of one P-net pass over letterboxed levels."""
        batch = torch.zeros((len(jobs), 3, max(j.height for j in jobs), max(j.width for j in jobs)),
                            device=self.device)
        for row, job in enumerate(jobs):
            batch[row, :, :job.height, :job.width] = F.interpolate(
                pixels[job.image][None], size=(job.height, job.width), mode="area")[0]
        offsets, probs = self.pnet(_normalized(batch, self.dtype))
        probs = probs[:, 1].float()
        # A level of h rows gives (h - 1) // 2 - 4 P-net rows; cells past them would see padding.
        rows = torch.tensor([(j.height - 1) // 2 - 4 for j in jobs], device=self.device)
        cols = torch.tensor([(j.width - 1) // 2 - 4 for j in jobs], device=self.device)
        inside = ((torch.arange(probs.shape[1], device=self.device)[None, :, None] < rows[:, None, None])
                  & (torch.arange(probs.shape[2], device=self.device)[None, None, :] < cols[:, None, None]))
        row, y, x = torch.nonzero((probs >= self.thresholds[0]) & inside, as_tuple=True)
        corner = torch.stack([x, y], 1).float()
        scale = torch.tensor([j.scale for j in jobs], device=self.device)[row, None]
        boxes = torch.cat([((PNET_STRIDE * corner + 1) / scale).floor(),
                           ((PNET_STRIDE * corner + PNET_CELL) / scale).floor(),
                           probs[row, y, x][:, None], offsets[row, :, y, x].float()], 1)
        owners = torch.tensor([j.image for j in jobs], device=self.device)[row]
        return boxes, owners, torch.full_like(owners, level)

    def _refine(self, tables, boxes, owners, net, size: int, threshold: float):
        """Run R-net or O-net on the boxes' crops; keep those scoring above the threshold.

        Returns boxes (x1, y1, x2, y2, score), owners and the net's other outputs (regression, points).
        """
        crops, valid = tables.crops(boxes, owners, size)
        boxes, owners = boxes[valid], owners[valid]
        if not len(boxes):  # the nets cannot take an empty batch
            empty = torch.zeros((0, 10), device=self.device)
            return boxes[:, :5], owners, [empty[:, :4], empty]
        outputs = [net(_normalized(chunk, self.dtype)) for chunk in crops.split(self.crop_batch)]
        *extras, probs = (torch.cat(parts).float() for parts in zip(*outputs))
        passed = probs[:, 1] > threshold
        boxes = torch.cat([boxes[passed, :4], probs[passed, 1:2]], 1)
        return boxes, owners[passed], [extra[passed] for extra in extras]

    def _output(self, tables, boxes, owners):
        """Stage three: O-net scores, landmarks from the box before regression, "Min" NMS."""
        boxes, owners, (regression, points) = self._refine(tables, boxes, owners, self.onet, 48,
                                                            self.thresholds[2])
        size = (boxes[:, 2:4] - boxes[:, 0:2] + 1)[:, None, :]
        landmarks = points.reshape(-1, 2, 5).transpose(1, 2) * size + boxes[:, None, 0:2] - 1
        boxes = _regress(boxes, regression, 1)
        keep = _nms_min(boxes[:, :4], boxes[:, 4], owners, NMS_OUTPUT)
        return boxes[keep], owners[keep], landmarks[keep]


CROP_CHUNK = 256


class _IntegralImages:
    """Summed-area tables of HxWx3 uint8 images, flattened into one (pixels, 3) tensor for lookups."""

    def __init__(self, pixels: list[torch.Tensor]):
        device = pixels[0].device if pixels else torch.device("cpu")
        # Exact integer sums; int32 holds 255 * pixels below 8.4 MP, larger images need int64.
        dtype = torch.int64 if any(255 * p.shape[0] * p.shape[1] >= 2**31 for p in pixels) else torch.int32
        tables = []
        for image in pixels:
            table = torch.zeros((image.shape[0] + 1, image.shape[1] + 1, 3), dtype=dtype, device=device)
            table[1:, 1:] = image.to(dtype).cumsum(0, dtype=dtype).cumsum(1, dtype=dtype)
            tables.append(table.reshape(-1, 3))
        self.flat = torch.cat(tables) if tables else torch.zeros((0, 3), dtype=dtype)
        sizes = torch.tensor([len(t) for t in tables], dtype=torch.int64)
        self.starts = (torch.cumsum(sizes, 0) - sizes).to(device)
        self.widths = torch.tensor([p.shape[1] for p in pixels], dtype=torch.int64, device=device)
        self.heights = torch.tensor([p.shape[0] for p in pixels], dtype=torch.int64, device=device)

    def crops(self, boxes: torch.Tensor, owners: torch.Tensor, size: int):
        """(crops (k, 3, size, size) float, valid (n,) bool): facenet-pytorch's pad() + area resize."""
        # pad(): truncate, clip to [1, w] x [1, h]; the crop is columns x-1 .. ex-1, rows y-1 .. ey-1.
        corners = boxes[:, :4].trunc().long()
        x0, y0 = corners[:, 0].clamp(min=1) - 1, corners[:, 1].clamp(min=1) - 1
        x1 = torch.minimum(corners[:, 2], self.widths[owners])
        y1 = torch.minimum(corners[:, 3], self.heights[owners])
        valid = (x1 > x0) & (y1 > y0)
        x0, y0, x1, y1, owners = x0[valid], y0[valid], x1[valid], y1[valid], owners[valid]
        steps = torch.arange(size, device=boxes.device)

        def bins(low, high):  # adaptive_avg_pool2d's bins: floor(i*n/size) .. ceil((i+1)*n/size)
            length = (high - low)[:, None]
            return low[:, None] + steps * length // size, low[:, None] + ((steps + 1) * length + size - 1) // size

        (r0, r1), (c0, c1) = bins(y0, y1), bins(x0, x1)
        base, stride = self.starts[owners][:, None, None], (self.widths[owners] + 1)[:, None, None]
        # In chunks: four integer gathers of (k, size, size, 3) for thousands of P-net boxes took
        # ~0.9 GB at once on a 24 MP photo's plan; chunks keep the peak at a few MB.
        parts = [self._area_means(base[i:i + CROP_CHUNK], stride[i:i + CROP_CHUNK], r0[i:i + CROP_CHUNK],
                                  r1[i:i + CROP_CHUNK], c0[i:i + CROP_CHUNK], c1[i:i + CROP_CHUNK])
                 for i in range(0, len(base), CROP_CHUNK)]
        crops = torch.cat(parts) if parts else torch.zeros((0, 3, size, size), device=boxes.device)
        return crops, valid

    def _area_means(self, base, stride, r0, r1, c0, c1) -> torch.Tensor:
        def table(rows, cols):  # (k, size, size, 3): whole pixels gathered, channels-last as the nets take
            return self.flat[base + rows[:, :, None] * stride + cols[:, None, :]]

        sums = table(r1, c1) - table(r0, c1) - table(r1, c0) + table(r0, c0)
        counts = (r1 - r0)[:, :, None, None] * (c1 - c0)[:, None, :, None]
        return (sums.float() / counts).permute(0, 3, 1, 2)


def _rgb_array(image: Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(image, Image.Image) and image.mode != "RGB":
        image = image.convert("RGB")
    return np.array(image, dtype=np.uint8)  # a copy: torch wants a writable array


def _normalized(pixels: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """MTCNN's input scaling, (x - 127.5) / 128, channels-last for the nets."""
    return ((pixels - 127.5) * 0.0078125).to(dtype).contiguous(memory_format=torch.channels_last)


def _regress(boxes: torch.Tensor, offsets: torch.Tensor, plus: int) -> torch.Tensor:
    """Shift corners by offsets times the box size (+1 px as facenet-pytorch's bbreg, 0 in stage one)."""
    width = boxes[:, 2] - boxes[:, 0] + plus
    height = boxes[:, 3] - boxes[:, 1] + plus
    shifted = boxes[:, :4] + offsets * torch.stack([width, height, width, height], 1)
    return torch.cat([shifted, boxes[:, 4:5]], 1)


def _rerec(boxes: torch.Tensor) -> torch.Tensor:
    """Square each box on its centre, side = its longer side."""
    width, height = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    side = torch.maximum(width, height)
    x1 = boxes[:, 0] + width * 0.5 - side * 0.5
    y1 = boxes[:, 1] + height * 0.5 - side * 0.5
    return torch.stack([x1, y1, x1 + side, y1 + side, boxes[:, 4]], 1)


def _nms_min(boxes: torch.Tensor, scores: torch.Tensor, owners: torch.Tensor, threshold: float) -> torch.Tensor:
    """facenet-pytorch's final NMS: overlap / the smaller area (+1 px sizes), per image; few boxes."""
    b, s, o = boxes.cpu().numpy(), scores.cpu().numpy(), owners.cpu().numpy()
    area = (b[:, 2] - b[:, 0] + 1) * (b[:, 3] - b[:, 1] + 1)
    order, keep = np.argsort(-s, kind="stable"), []
    while order.size:
        best, rest = order[0], order[1:]
        keep.append(best)
        width = np.maximum(0.0, np.minimum(b[best, 2], b[rest, 2]) - np.maximum(b[best, 0], b[rest, 0]) + 1)
        height = np.maximum(0.0, np.minimum(b[best, 3], b[rest, 3]) - np.maximum(b[best, 1], b[rest, 1]) + 1)
        overlap = width * height / np.minimum(area[best], area[rest])
        order = rest[(overlap <= threshold) | (o[rest] != o[best])]
    return torch.as_tensor(np.array(keep, dtype=np.int64), device=boxes.device)


def _split(boxes: torch.Tensor, owners: torch.Tensor, landmarks: torch.Tensor, count: int) -> list[Faces]:
    boxes, owners = boxes.cpu().double().numpy(), owners.cpu().numpy()
    landmarks = landmarks.cpu().double().numpy()
    return [Faces(boxes[owners == i, :4], boxes[owners == i, 4], landmarks[owners == i]) for i in range(count)]
