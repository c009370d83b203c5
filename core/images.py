"""Pixel-mode normalisation shared by derivatives (events) and face analysis (recognition.ml).
Pure Pillow/numpy: no Django, no app."""
import numpy as np
from PIL import Image


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB for any mode: 16-bit scaled down, transparency composited on white, CMYK converted."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        image = _high_bit_depth_to_l(image)
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _high_bit_depth_to_l(image: Image.Image) -> Image.Image:
    """8-bit gray from 16/32-bit or float data (Pillow's own convert clips at 255: a white image)."""
    values = np.asarray(image, dtype=np.float64)
    if image.mode.startswith("I;16"):
        top = 65535.0
    else:
        top = max(float(values.max(initial=0.0)), 1.0)
        top = 255.0 if top <= 255.0 else (65535.0 if top <= 65535.0 else top)
    return Image.fromarray(np.clip(values * (255.0 / top), 0, 255).round().astype(np.uint8), "L")
