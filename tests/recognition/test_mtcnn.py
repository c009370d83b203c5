"""The batched cascade against facenet-pytorch's MTCNN.detect on real photos, and the detection plan."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from recognition.ml.compat import import_facenet_pytorch
from recognition.ml.detector import DETECT_LONG_SIDES, MIN_FACE_SIZE, detection_plan
from recognition.ml.images import load_image
from recognition.ml.mtcnn import MtcnnCascade, _IntegralImages
from tests.recognition.conftest import BBT_GROUP, BBT_PEOPLE, FACES_DIR, PORTRAITS

# Group shots (4-6 faces each), a portrait pair, a close-up and lfw-dev news photos: 20+ faces.
PHOTOS = ([BBT_GROUP / f"bbt{i}.jpg" for i in (2, 3, 4)]
          + [PORTRAITS / "two_people_obama_biden.jpg", BBT_PEOPLE / "howard" / "howard5.png"]
          + sorted((FACES_DIR / "lfw-dev").glob("A*/*_0001.jpg"))[:4])


@pytest.fixture(scope="module")
def cascade():
    return MtcnnCascade("cpu")


def _reference(image: Image.Image, min_face_size: int):
    mtcnn = import_facenet_pytorch().MTCNN(keep_all=True, min_face_size=min_face_size, device="cpu")
    boxes, probs, points = mtcnn.detect(image, landmarks=True)
    if boxes is None:
        return np.zeros((0, 4)), np.zeros(0), np.zeros((0, 5, 2))
    return boxes, np.asarray(probs, dtype=float), points


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    low, high = np.maximum(a[:, None, :2], b[None, :, :2]), np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(high - low, 0, None), axis=2)
    area = lambda boxes: np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


def _assert_same_faces(expected, found, min_iou=0.9):
    boxes, probs, points = expected
    assert len(found.boxes) == len(boxes)
    if not len(boxes):
        return
    overlap = _iou(boxes, found.boxes)
    match = overlap.argmax(axis=1)
    assert (overlap.max(axis=1) >= min_iou).all()
    assert np.abs(found.probs[match] - probs).max() <= 0.01
    assert np.abs(found.landmarks[match] - points).max() <= 2.0


@pytest.mark.parametrize("min_face_size", [20, 12])
def test_it_finds_what_facenet_pytorch_finds(cascade, min_face_size):
    photos = PHOTOS if min_face_size == 20 else PHOTOS[1:2] + PHOTOS[-4:]  # 12: a slower pyramid
    images = [load_image(path) for path in photos]
    found = cascade.detect(images, min_face_size)
    assert sum(len(f.boxes) for f in found) >= (20 if min_face_size == 20 else 8)
    for image, faces in zip(images, found):
        _assert_same_faces(_reference(image, min_face_size), faces)


def test_letterboxed_batches_find_the_same_faces(cascade):
    # The CUDA grouping (levels of different sizes share a padded pass), run on CPU.
    letterboxed = MtcnnCascade("cpu", letterbox=True, pnet_batch_pixels=1 << 22)
    images = [load_image(path) for path in PHOTOS[:3] + PHOTOS[-3:]]
    alone = [cascade.detect([image])[0] for image in images]
    for single, batched in zip(alone, letterboxed.detect(images)):
        _assert_same_faces((single.boxes, single.probs, single.landmarks), batched, min_iou=0.95)


def test_crops_equal_area_interpolation_of_each_clipped_box():
    rng = np.random.default_rng(3)
    images = [torch.from_numpy(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)) for h, w in [(50, 70), (90, 40)]]
    tables = _IntegralImages(images)
    boxes = torch.tensor([[-5.0, 3.2, 30.9, 41.0], [10.0, 10.0, 95.0, 60.0], [2.5, 1.0, 9.0, 5.0],
                          [80.0, 80.0, 90.0, 95.0]])
    owners = torch.tensor([0, 1, 0, 0])
    crops, valid = tables.crops(boxes, owners, 24)
    assert valid.tolist() == [True, True, True, False]  # the last box lies outside its image
    for crop, box, owner in zip(crops, boxes[valid].long(), owners[valid]):
        image = images[owner].permute(2, 0, 1).float()
        x0, y0 = max(int(box[0]), 1) - 1, max(int(box[1]), 1) - 1
        x1, y1 = min(int(box[2]), image.shape[2]), min(int(box[3]), image.shape[1])
        expected = F.interpolate(image[None, :, y0:y1, x0:x1], size=(24, 24), mode="area")[0]
        assert torch.allclose(crop, expected, atol=1e-3)


def test_it_handles_no_faces_and_no_images(cascade, gradient_image):
    found = cascade.detect([gradient_image, Image.new("RGB", (30, 30))])
    assert [len(f.boxes) for f in found] == [0, 0]
    assert found[0].landmarks.shape == (0, 5, 2)
    assert cascade.detect([]) == []


def test_half_precision_is_cuda_only():
    assert MtcnnCascade("cpu", half=True).dtype == torch.float32


@pytest.mark.parametrize("size", [(150, 150), (1024, 683), (1366, 768), (3000, 2000)])
def test_plan_keeps_todays_detection_for_small_photos(size):
    long_side, min_face = detection_plan(size)
    assert long_side == min(max(size), 1024) and min_face == MIN_FACE_SIZE


@pytest.mark.parametrize("size", [(6000, 4000), (4000, 6000), (8192, 5464), (11648, 8736)])
@pytest.mark.parametrize("face_px,min_face_size", [(12, 20), (12, 12), (16, 16), (20, 20)])
def test_plan_gives_the_smallest_wanted_face_enough_pixels(size, face_px, min_face_size):
    long_side, min_face = detection_plan(size, face_px=face_px, min_face_size=min_face_size)
    assert 48 * long_side / max(size) >= face_px
    assert min_face_size <= min_face <= max(min_face_size, MIN_FACE_SIZE)
    lower = [side for side in DETECT_LONG_SIDES if side < long_side]
    assert not lower or 48 * lower[-1] / max(size) < face_px  # the cheapest rung that reaches it


def test_plan_of_a_24_mp_photo():
    assert detection_plan((6000, 4000)) == (1536, 20)
    assert detection_plan((6000, 4000), face_px=12, min_face_size=12) == (1536, 12)
