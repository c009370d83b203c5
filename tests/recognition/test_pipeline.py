"""The public pipeline on real photos: who is who, where, and how usable."""
import numpy as np
import pytest
from PIL import Image, ImageFilter

from recognition.ml.calibration import DEFAULT_MATCH_THRESHOLD
from recognition.ml.images import ImageDecodeError, load_image
from recognition.conf import face_pipeline
from recognition.ml.pipeline import DetectedFace, FacePipeline, largest_face
from tests.recognition.conftest import BBT_PEOPLE, PORTRAITS, save


def _main(pipeline, source) -> DetectedFace:
    face = largest_face(pipeline.analyze(source))
    assert face is not None, f"no face in {source}"
    return face


def test_faces_have_every_field_in_original_coordinates(obama_faces):
    assert len(obama_faces) == 1
    face = obama_faces[0]
    x1, y1, x2, y2 = face.box
    assert 0 <= x1 < x2 <= 910 and 0 <= y1 < y2 <= 1137
    assert face.landmarks.shape == (5, 2)
    assert face.embedding.dtype == np.float32 and face.embedding.shape == (128,)
    assert abs(np.linalg.norm(face.embedding) - 1) < 1e-5
    assert face.usable and face.quality_reasons == [] and face.blur > 0
    assert face.aligned.size == (112, 112) and face.aligned.mode == "RGB"


def test_same_person_matches_and_different_people_do_not(pipeline, obama_faces):
    obama = obama_faces[0].embedding
    assert obama @ _main(pipeline, PORTRAITS / "obama2.jpg").embedding >= DEFAULT_MATCH_THRESHOLD
    assert obama @ _main(pipeline, PORTRAITS / "biden.jpg").embedding < DEFAULT_MATCH_THRESHOLD


def test_it_finds_obama_and_biden_in_one_photo(pipeline, obama_faces):
    faces = pipeline.analyze(PORTRAITS / "two_people_obama_biden.jpg")
    assert len(faces) == 2 and all(face.usable for face in faces)
    biden = _main(pipeline, PORTRAITS / "biden.jpg").embedding
    left, right = sorted(faces, key=lambda face: face.box[0])
    assert left.embedding @ obama_faces[0].embedding >= DEFAULT_MATCH_THRESHOLD  # Obama stands left
    assert right.embedding @ biden >= DEFAULT_MATCH_THRESHOLD


@pytest.mark.parametrize("name", ["obama_partial_face.jpg", "obama_partial_face2.jpg"])
def test_a_face_cut_by_the_border_is_found_once_and_invents_nothing(pipeline, obama_faces, name):
    faces = pipeline.analyze(PORTRAITS / name)
    usable = [face for face in faces if face.usable]
    assert len(usable) == 1
    width, height = Image.open(PORTRAITS / name).size
    x1, y1, x2, y2 = usable[0].box
    assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
    assert usable[0].embedding @ obama_faces[0].embedding >= DEFAULT_MATCH_THRESHOLD
    for extra in (face for face in faces if not face.usable):
        assert any("probability" in reason for reason in extra.quality_reasons)


def test_a_photo_without_faces_gives_none(pipeline, gradient_image):
    assert pipeline.analyze(gradient_image) == []
    assert largest_face([]) is None


@pytest.mark.parametrize("payload, reason", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "corrupt|not an image"),
    (b"GIF89a garbage", "corrupt|not an image"),
])
def test_unreadable_input_raises_a_decode_error(pipeline, payload, reason):
    with pytest.raises(ImageDecodeError, match=reason):
        pipeline.analyze(payload)


def test_a_one_pixel_image_is_refused(pipeline, tmp_path):
    with pytest.raises(ImageDecodeError, match="too small"):
        pipeline.analyze(save(Image.new("RGB", (1, 1)), tmp_path / "dot.png"))


@pytest.mark.parametrize("variant", ["cmyk", "grayscale", "alpha", "png16"])
def test_other_image_modes_give_the_same_face(pipeline, obama_faces, tmp_path, variant):
    original = load_image(PORTRAITS / "obama.jpg")
    if variant == "cmyk":
        path = save(original.convert("CMYK"), tmp_path / "cmyk.jpg", quality=95)
    elif variant == "grayscale":
        path = save(original.convert("L"), tmp_path / "gray.png")
    elif variant == "alpha":
        rgba = original.convert("RGBA")
        rgba.putalpha(255)
        rgba.paste((0, 0, 0, 0), (0, 0, 120, 120))  # a transparent corner, away from the face
        path = save(rgba, tmp_path / "alpha.png")
    else:
        path = save(Image.fromarray(np.asarray(original.convert("L"), np.uint16) * 257), tmp_path / "gray16.png")
    face = _main(pipeline, path)
    reference = obama_faces[0]
    assert np.abs(np.array(face.box) - np.array(reference.box)).max() < 0.08 * (reference.box[2] - reference.box[0])
    assert face.embedding @ reference.embedding > 0.85


@pytest.mark.parametrize("orientation, stored_turn", [
    (6, Image.Transpose.ROTATE_90),   # viewer turns it 90 CW, so the pixels were stored 90 CCW
    (8, Image.Transpose.ROTATE_270),
    (3, Image.Transpose.ROTATE_180),
])
def test_exif_rotated_photos_report_upright_coordinates(pipeline, obama_faces, tmp_path, orientation, stored_turn):
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = load_image(PORTRAITS / "obama.jpg").transpose(stored_turn)
    path = save(stored, tmp_path / f"rotated{orientation}.jpg", quality=95, exif=exif.tobytes())
    face = _main(pipeline, path)
    assert np.abs(np.array(face.box) - np.array(obama_faces[0].box)).max() < 6
    assert np.abs(face.landmarks - obama_faces[0].landmarks).max() < 6
    assert face.embedding @ obama_faces[0].embedding > 0.95


def test_a_blurred_face_is_kept_but_flagged(pipeline, tmp_path):
    blurred = load_image(PORTRAITS / "obama.jpg").filter(ImageFilter.GaussianBlur(10))  # ~4.5 px in the crop
    face = _main(pipeline, blurred)
    assert not face.usable
    assert any(reason.startswith("blurry") for reason in face.quality_reasons)


def test_a_tiny_face_is_kept_but_flagged(pipeline):
    photo = load_image(PORTRAITS / "two_people_obama_biden.jpg")
    small = photo.resize((photo.width // 6, photo.height // 6), Image.Resampling.LANCZOS)  # faces ~25 px
    faces = pipeline.analyze(small)
    assert faces, "MTCNN still finds 25 px faces"
    assert all(not face.usable and any("too small" in r for r in face.quality_reasons) for face in faces)


def test_close_up_crops_are_usable(pipeline):
    for name in ["amy/amy1.png", "raj/raj3.png", "bernadette/bernadette5.png"]:
        face = _main(pipeline, BBT_PEOPLE / name)
        assert face.usable, (name, face.quality_reasons)


def test_largest_face_prefers_usable_faces():
    def face(size, usable):
        return DetectedFace(box=(0, 0, size, size), probability=1.0, landmarks=np.zeros((5, 2)),
                            embedding=np.zeros(128, np.float32), usable=usable)
    small, big_flagged, medium = face(40, True), face(200, False), face(90, True)
    assert largest_face([small, big_flagged, medium]) is medium
    assert largest_face([big_flagged]) is big_flagged
    assert largest_face([small, big_flagged, medium], prefer_usable=False) is big_flagged


def test_analyze_each_reports_errors_in_place(pipeline, gradient_image):
    sources = [PORTRAITS / "obama.jpg", b"not an image", gradient_image, PORTRAITS / "biden.jpg"]
    results = list(pipeline.analyze_each(sources, batch_size=3))
    assert [source for source, _ in results] == sources
    outcomes = [outcome for _, outcome in results]
    assert len(outcomes[0]) == 1 and isinstance(outcomes[1], ImageDecodeError)
    assert outcomes[2] == [] and len(outcomes[3]) == 1


def test_analyze_many_equals_analyze(pipeline, obama_faces):
    batch = pipeline.analyze_many([PORTRAITS / "biden.jpg", PORTRAITS / "obama.jpg"])
    # The same face, box and vector, batched with another photo or alone. Bit-equality is not promised: on
    # CPUs with native bf16 (VISAGE_CPU_BF16=auto) the embedding's rounding depends on the batch (~5e-4 per
    # component here), far below anything a match can notice (the search threshold is a cosine of 0.42).
    np.testing.assert_allclose(batch[1][0].box, obama_faces[0].box, atol=0.01)
    assert float(batch[1][0].embedding @ obama_faces[0].embedding) > 0.9999


def test_small_faces_in_big_photos_are_aligned_from_full_resolution(tmp_path):
    # A 4x upscaled group photo: its faces are ~40 px after the 1024 px decode for detection,
    # so the 112 px crop must come from a larger decode to match the original's embedding.
    pipeline = face_pipeline()
    photo = load_image(PORTRAITS / "two_people_obama_biden.jpg")
    big = save(photo.resize((photo.width * 4, photo.height * 4), Image.Resampling.BICUBIC), tmp_path / "big.jpg", quality=95)
    side = pipeline.detection_side(big_size := (photo.width * 4, photo.height * 4))
    assert side < max(big_size) / 2  # detection runs on a reduced decode, too coarse for the crops
    original = {round(f.box[0] / 100): f for f in pipeline.analyze(photo)}
    for face in pipeline.analyze(big):
        twin = original[round(face.box[0] / 400)]
        assert face.embedding @ twin.embedding > 0.9
        assert face.usable
