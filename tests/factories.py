"""Helpers for tests: API clients and small generated images. Real photos live in shared/data."""
import io
from pathlib import Path

from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
FACES_DIR = DATA_DIR / "faces"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def jpeg_bytes(width: int = 64, height: int = 48, color=(200, 120, 40), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=90, **({"exif": exif} if exif else {}))
    return out.getvalue()


def png_bytes(width: int = 32, height: int = 32, mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG")
    return out.getvalue()
