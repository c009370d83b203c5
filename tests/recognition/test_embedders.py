"""SFace rebuilt in torch, its file check, alignment, and the embedder registry."""
import shutil

import numpy as np
import onnx
import pytest
import torch
from onnx.reference import ReferenceEvaluator
from PIL import Image, ImageOps

from recognition.ml import sface
from recognition.ml.align import ARCFACE, align_face, similarity_transform
from recognition.conf import ml_config
from recognition.ml.embedders import EmbedderUnavailable, FacenetEmbedder, get_embedder
from tests.recognition.conftest import PORTRAITS


@pytest.fixture(scope="session")
def aligned_obama(obama_faces):
    return obama_faces[0].aligned


def test_torch_sface_equals_the_onnx_reference_implementation(pipeline, aligned_obama):
    batch = np.asarray(aligned_obama, dtype=np.float32).transpose(2, 0, 1)[None]
    model = onnx.load(str(sface.default_model_path()))
    used = {name for node in model.graph.node for name in node.input}
    kept = [graph_input for graph_input in model.graph.input if graph_input.name in used]
    del model.graph.input[:]
    model.graph.input.extend(kept)  # the file lists unused float weights as inputs
    expected = ReferenceEvaluator(model).run(None, {"data": batch})[0][0]
    with torch.inference_mode():
        actual = sface.load_sface()(torch.from_numpy(batch)).numpy()[0]
    cosine = actual @ expected / np.linalg.norm(actual) / np.linalg.norm(expected)
    assert cosine > 0.99999
    assert np.abs(actual - expected).max() < 1e-3 * np.abs(expected).max()


def test_the_compiled_embedder_gives_the_fp32_vectors(pipeline, obama_faces):
    """What workers run (traced fp32, or bf16 where the CPU has it) stays on the fp32 model's vectors."""
    crops = [face.aligned for face in obama_faces]
    batch = torch.from_numpy(np.stack([np.asarray(c, dtype=np.float32) for c in crops])).permute(0, 3, 1, 2)
    with torch.inference_mode():
        fp32 = torch.nn.functional.normalize(sface.load_sface()(batch))
        compiled = torch.nn.functional.normalize(pipeline.embedder.model(batch).float())
    assert (fp32 * compiled).sum(1).min() > 0.999


def test_a_tampered_model_file_is_refused_naming_path_and_hash(tmp_path):
    tampered = tmp_path / sface.SFACE_FILE_NAME
    shutil.copyfile(sface.default_model_path(), tampered)
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    with pytest.raises(sface.ModelFileError) as caught:
        sface.load_sface(tampered)
    assert str(tampered) in str(caught.value)
    assert sface.SFACE_SHA256 in str(caught.value)


def test_a_missing_model_file_is_refused_naming_path_and_hash(tmp_path):
    with pytest.raises(sface.ModelFileError, match=f"absent.onnx.*{sface.SFACE_SHA256}"):
        sface.load_sface(tmp_path / "absent.onnx")


def test_blocked_dequantization_uses_one_scale_per_block():
    quantized = np.array([[2, 4, 6, 8, 10]], dtype=np.int8)
    scales = np.array([[0.5, 2.0, 10.0]], dtype=np.float32)
    zeros = np.array([[0, 1, 2]], dtype=np.int8)
    result = sface.dequantize_linear(quantized, scales, zeros, axis=1, block_size=2)
    assert np.allclose(result, [[1.0, 2.0, 10.0, 14.0, 80.0]])


def test_embeddings_are_unit_float32_and_mirror_invariant(pipeline, aligned_obama):
    mirrored = ImageOps.mirror(aligned_obama)
    vectors = pipeline.embedder.embed([aligned_obama, mirrored])
    assert vectors.shape == (2, 128) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.9999  # face + mirror averaged: a mirrored face is the same input
    assert pipeline.embedder.embed([]).shape == (0, 128)


def test_the_embedder_describes_itself(pipeline):
    embedder = pipeline.embedder
    assert (embedder.name, embedder.dim) == ("sface", 128)
    assert sface.SFACE_SHA256[:12] in embedder.version
    assert get_embedder(ml_config(), "sface") is get_embedder(ml_config()) is embedder


def test_unknown_embedders_are_refused():
    with pytest.raises(EmbedderUnavailable, match="unknown embedder 'nope'"):
        get_embedder(ml_config(), "nope")


def test_facenet_without_weights_says_what_to_set(settings):
    settings.VISAGE_FACENET_WEIGHTS = None
    with pytest.raises(EmbedderUnavailable, match="VISAGE_FACENET_WEIGHTS"):
        get_embedder(ml_config(), "facenet")


def test_facenet_loads_operator_supplied_weights(tmp_path, aligned_obama):
    # Randomly initialised weights: this checks the loading and 512-D plumbing, not accuracy.
    from recognition.ml.compat import import_facenet_pytorch

    torch.manual_seed(0)
    weights = tmp_path / "facenet.pt"
    torch.save(import_facenet_pytorch().InceptionResnetV1().state_dict(), weights)
    embedder = FacenetEmbedder(weights, device="cpu")
    crop = Image.open(PORTRAITS / "obama.jpg").convert("RGB").resize((160, 160))
    vectors = embedder.embed([crop, aligned_obama])  # the 112 px crop is resized to 160
    assert vectors.shape == (2, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.template.size == 160


def test_similarity_transform_recovers_a_known_motion():
    angle, scale, shift = np.deg2rad(20), 1.7, np.array([12.0, -5.0])
    rotation = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    source = ARCFACE.points
    target = source @ rotation.T + shift
    matrix = similarity_transform(source, target)
    assert np.allclose(matrix[:, :2], rotation, atol=1e-9)
    assert np.allclose(matrix[:, 2], shift, atol=1e-9)


def test_alignment_puts_the_landmarks_on_the_template():
    # Dots drawn where the landmarks are must land on the template points after alignment.
    canvas = np.zeros((300, 400), dtype=np.uint8)
    points = ARCFACE.points * 2.2 + [90, 40]
    for x, y in points.round().astype(int):
        canvas[y - 1:y + 2, x - 1:x + 2] = 255
    aligned = np.asarray(align_face(Image.fromarray(canvas), points).convert("L"), dtype=float)
    for x, y in ARCFACE.points:
        window = aligned[int(y) - 3:int(y) + 4, int(x) - 3:int(x) + 4]
        peak_y, peak_x = np.unravel_index(window.argmax(), window.shape)
        assert abs(int(y) - 3 + peak_y - y) <= 1 and abs(int(x) - 3 + peak_x - x) <= 1
