"""Decoding: every mode becomes upright RGB; bad input is a clear ImageDecodeError."""
import io

import numpy as np
import pytest
from PIL import Image

from recognition.ml.images import ImageDecodeError, decode, load_image
from tests.recognition.conftest import BBT_PEOPLE, PORTRAITS, save

OBAMA = PORTRAITS / "obama.jpg"


def _encoded(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def test_it_reads_paths_bytes_and_file_objects_alike():
    from_path = load_image(OBAMA)
    from_bytes = load_image(OBAMA.read_bytes())
    with open(OBAMA, "rb") as handle:
        from_file = load_image(handle)
    assert from_path.mode == "RGB" and from_path.size == (910, 1137)
    assert np.array_equal(np.asarray(from_path), np.asarray(from_bytes))
    assert np.array_equal(np.asarray(from_path), np.asarray(from_file))


def test_it_turns_grayscale_into_rgb():
    image = load_image(BBT_PEOPLE / "amy" / "amy1.png")
    pixels = np.asarray(image)
    assert image.mode == "RGB" and image.size == (150, 150)
    assert np.array_equal(pixels[..., 0], pixels[..., 2])


def test_it_converts_cmyk_to_rgb():
    original = load_image(OBAMA)
    cmyk = decode(_encoded(original.convert("CMYK"), "JPEG", quality=95)).image
    assert cmyk.mode == "RGB"
    assert np.abs(np.asarray(cmyk, float) - np.asarray(original, float)).mean() < 6


def test_it_composites_transparency_on_white():
    rgba = Image.new("RGBA", (40, 30), (255, 0, 0, 255))
    rgba.paste((0, 0, 0, 0), (0, 0, 20, 30))
    image = load_image(_encoded(rgba, "PNG"))
    assert image.getpixel((5, 5)) == (255, 255, 255)
    assert image.getpixel((30, 5)) == (255, 0, 0)


def test_it_composites_palette_transparency_on_white():
    palette = Image.new("P", (40, 30), 1)
    palette.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    palette.paste(0, (0, 0, 20, 30))
    image = load_image(_encoded(palette, "PNG", transparency=0))
    assert image.getpixel((5, 5)) == (255, 255, 255)
    assert image.getpixel((30, 5)) == (0, 0, 255)


def test_it_scales_16_bit_images_down_instead_of_clipping():
    values = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (32, 1))
    image = load_image(_encoded(Image.fromarray(values), "PNG"))
    gray = np.asarray(image)[0, :, 0]
    assert gray[0] == 0 and gray[-1] == 255
    assert 120 <= gray[32] <= 135  # the middle stays mid-gray (a clipping convert gives 255)


def test_it_applies_exif_orientation(tmp_path):
    upright = load_image(OBAMA)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to view": the stored pixels are turned 90 CCW
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    path = save(stored, tmp_path / "rotated.jpg", quality=95, exif=exif.tobytes())
    decoded = decode(path)
    assert decoded.original_size == upright.size
    assert decoded.image.size == upright.size
    assert np.abs(np.asarray(decoded.image, float) - np.asarray(upright, float)).mean() < 4


def test_reduced_decode_keeps_the_original_coordinate_system():
    path = PORTRAITS / "obama3.jpg"  # 1434 x 2333
    decoded = decode(path, long_side=1024)
    assert max(decoded.image.size) <= 1024
    assert decoded.original_size == (1434, 2333)
    corner = decoded.to_original(np.array([decoded.image.width, decoded.image.height], float))
    assert np.allclose(corner, [1434, 2333])
    box = decoded.to_original(np.array([10.0, 20.0, 30.0, 40.0]))
    assert np.allclose(box, [10 * decoded.scale[0], 20 * decoded.scale[1], 30 * decoded.scale[0], 40 * decoded.scale[1]])


@pytest.mark.parametrize("payload, reason", [
    (b"", "empty"),
    (b"this is not an image at all" * 10, "not an image"),
])
def test_it_rejects_non_images(payload, reason):
    with pytest.raises(ImageDecodeError, match=reason):
        decode(payload)


def test_it_rejects_a_truncated_file():
    data = OBAMA.read_bytes()
    with pytest.raises(ImageDecodeError, match="truncated|corrupt"):
        decode(data[: len(data) // 3])


def test_it_rejects_a_one_pixel_image():
    with pytest.raises(ImageDecodeError, match="too small"):
        decode(_encoded(Image.new("RGB", (1, 1)), "PNG"))


def test_it_rejects_a_decompression_bomb_before_decoding():
    bomb = _encoded(Image.new("1", (15000, 15000)), "PNG")  # 225 MP in a few kB, over every default limit
    assert len(bomb) < 100_000
    with pytest.raises(ImageDecodeError, match="decompression bomb"):
        decode(bomb)
    with pytest.raises(ImageDecodeError, match="decompression bomb"):
        decode(OBAMA, max_pixels=100_000)


def test_it_names_a_missing_file(tmp_path):
    with pytest.raises(ImageDecodeError, match="cannot read file .*missing.jpg"):
        decode(tmp_path / "missing.jpg")
