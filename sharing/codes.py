"""Printable things for a share link: QR code (PNG, SVG), Code128 barcode of the short code,
and an event card (PNG, 4×6 in at 300 dpi) with the event name, QR, code and instructions."""
import io
import textwrap

import barcode
import qrcode
import qrcode.image.svg
from barcode.writer import ImageWriter
from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1200, 1800)  # 4 x 6 inches at 300 dpi: a standard photo print or table card
_INK = (28, 28, 30)
_MUTED = (95, 95, 100)


def qr_png(url: str) -> bytes:
    # Error correction M (15 %) survives a crease or a smudge on a printed card.
    image = qrcode.make(url, box_size=12, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def qr_svg(url: str) -> bytes:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def barcode_png(code: str) -> bytes:
    """Code128 of the short code (what a handheld scanner at a photo booth can read)."""
    out = io.BytesIO()
    barcode.get("code128", code, writer=ImageWriter()).write(
        out, options={"module_width": 0.4, "module_height": 15, "font_size": 12, "text_distance": 5, "quiet_zone": 6}
    )
    return out.getvalue()


def format_code(code: str) -> str:
    """ABCD-EFGH: groups of four are easier to read out and type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def event_card_png(*, event_name: str, qr_image_png: bytes, code: str, code_page_url: str) -> bytes:
    card = Image.new("RGB", CARD_SIZE, "white")
    draw = ImageDraw.Draw(card)
    width = CARD_SIZE[0]
    y = _centered_lines(draw, textwrap.wrap(event_name, 22)[:3], _font(84), width, 110, _INK)
    y = _centered_lines(draw, ["Find your photos"], _font(52), width, y + 30, _MUTED)
    qr = Image.open(io.BytesIO(qr_image_png)).convert("RGB").resize((760, 760), Image.Resampling.NEAREST)
    card.paste(qr, ((width - qr.width) // 2, y + 40))
    y += 40 + qr.height + 40
    y = _centered_lines(draw, ["or go to " + code_page_url, "and type the code"], _font(40), width, y, _MUTED)
    y = _centered_lines(draw, [format_code(code)], _font(110), width, y + 20, _INK)
    steps = ["1. Scan the code with your phone camera", "2. Agree and take a selfie", "3. See and save the photos you are in"]
    _centered_lines(draw, steps, _font(38), width, y + 40, _MUTED)
    out = io.BytesIO()
    card.save(out, "PNG", dpi=(300, 300), optimize=True)
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)  # Pillow's bundled scalable font: no system fonts needed


def _centered_lines(draw: ImageDraw.ImageDraw, lines: list[str], font, width: int, y: int, fill) -> int:
    for line in lines:
        left, top, right, bottom = draw.textbbox((0, 0), line, font=font)
        draw.text(((width - (right - left)) // 2, y), line, font=font, fill=fill)
        y += (bottom - top) + int(font.size * 0.35)
    return y
