"""Helpers for the API tests: API-key clients and a real photo to upload."""
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.tenancy.api_keys import api_key_create
from tests.factories import FACES_DIR

BBT_PHOTO = FACES_DIR / "bbt" / "people" / "amy" / "amy1.png"


def key_client(key: str, **headers) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}", **headers)
    return client


def new_key(studio, scope: str, *, by=None, name: str | None = None) -> tuple:
    """(StudioApiKey, its secret) for `studio`."""
    created = api_key_create(studio=studio, name=name or f"{scope} key", scope=scope, created_by=by)
    return created.api_key, created.key


def real_photo(path=BBT_PHOTO) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="image/png")
