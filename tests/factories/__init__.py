"""Helpers for tests: API clients, small generated images, and model factories (factory-boy) that
derive the tenant from the parent: a photo takes its studio from its event, a face its event and
studio from its photo (tests/factories/{tenancy,events,recognition}.py). Real photos live in shared/data."""
import io
from pathlib import Path

from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"
FACES_DIR = DATA_DIR / "faces"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def page_client(user):
    """A browser-like client signed in as `user` (session cookie), for the server-rendered pages."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def jpeg_bytes(width: int = 64, height: int = 48, color=(200, 120, 40), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=90, **({"exif": exif} if exif else {}))
    return out.getvalue()


def png_bytes(width: int = 32, height: int = 32, mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG")
    return out.getvalue()


# The model factories (imported last: they use the helpers above).
from tests.factories.tenancy import MembershipFactory, StudioFactory, UserFactory  # noqa: E402
from tests.factories.events import EventFactory, EventOrganizerFactory, PhotoFactory  # noqa: E402
