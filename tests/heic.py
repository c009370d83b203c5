"""HEIC files made at test time from the real photos in ../shared/data, with pillow-heif."""
import io
import struct
from pathlib import Path

from PIL import Image

from core import heif

heif.register()


def heic_bytes(path: Path, *, exif_orientation: int | None = None, quality: int = 80) -> bytes:
    """The photo as HEIC. With `exif_orientation` 6, the pixels are stored turned a quarter to the
    left and the file says so (as a phone held upright writes it): a reader that ignored the
    orientation would see the face sideways."""
    image = Image.open(path).convert("RGB")
    out = io.BytesIO()
    if exif_orientation == 6:
        exif = Image.Exif()
        exif[0x0112] = 6
        image.transpose(Image.Transpose.ROTATE_90).save(out, format="HEIF", quality=quality, exif=exif.tobytes())
    else:
        image.save(out, format="HEIF", quality=quality)
    return out.getvalue()


def heic_claiming(data: bytes, width: int, height: int) -> bytes:
    """The same file with every image spatial extent (ispe) claiming width × height pixels."""
    patched = bytearray(data)
    at = patched.find(b"ispe")
    assert at > 0, "no ispe box"
    while at > 0:
        patched[at + 8:at + 16] = struct.pack(">II", width, height)  # after version/flags
        at = patched.find(b"ispe", at + 4)
    return bytes(patched)


def phone_heic(path: Path, *, size: tuple[int, int] = (3024, 4032)) -> bytes:
    """A 12 MP phone selfie as a phone writes it: the photo scaled up to fill `size` (portrait),
    8-bit 4:2:0 HEVC in 512 px grid tiles (Apple's layout). x265's fastest preset: ~10-20 s here
    instead of minutes; the decoder's work is the same."""
    image = Image.open(path).convert("RGB")
    ratio = max(size[0] / image.width, size[1] / image.height)
    image = image.resize((round(image.width * ratio), round(image.height * ratio)), Image.Resampling.BICUBIC)
    left, top = (image.width - size[0]) // 2, (image.height - size[1]) // 2
    out = io.BytesIO()
    image.crop((left, top, left + size[0], top + size[1])).save(
        out, format="HEIF", quality=80, tile_size=512, enc_params={"preset": "ultrafast"})
    return out.getvalue()
