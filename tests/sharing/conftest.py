"""Sharing fixtures: one event with all 45 real bbt photos, processed once for the whole package.

The event is committed outside the tests' transactions (django_db_blocker) and deleted at the
end of the package; every test still runs in its own transaction, so links, sessions, hidden
photos and purges made by a test are rolled back. Its objects live in one package-wide media
directory, which replaces the per-test store of tests/conftest.py for these tests.
"""
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from events.models import Event, Photo
from events.services import event_create, photos_upload
from sharing.services.links import CreatedLink, share_link_create
from tests.factories import FACES_DIR, jpeg_bytes
from tests.recognition.helpers import detect_into_event
from core.tenancy.models import Studio, User
from core.tenancy.services import studio_create

PEOPLE = ["amy", "bernadette", "howard", "leonard", "penny", "raj", "sheldon", "stuart"]
GROUPS = [f"bbt{i}.jpg" for i in range(1, 6)]
ALL_PATHS = [f"bbt/people/{name}/{name}{i}.png" for name in PEOPLE for i in range(1, 6)] + [f"bbt/group/{g}" for g in GROUPS]


@dataclass(frozen=True)
class RealEvent:
    studio_id: int
    event_id: int
    owner_id: int
    photo_ids: dict[str, int]  # file name ("amy1.png", "bbt4.jpg") -> photo id

    @property
    def event(self) -> Event:
        return Event.objects.select_related("studio").get(id=self.event_id)

    def photo(self, filename: str) -> Photo:
        return Photo.objects.get(id=self.photo_ids[filename])


def storage_settings(location) -> dict:
    return {
        "STORAGES": {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        "MEDIA_ROOT": location,
    }


@pytest.fixture(scope="package")
def sharing_media(tmp_path_factory):
    return tmp_path_factory.mktemp("sharing-media")


@pytest.fixture(autouse=True)
def isolated_storage(settings, sharing_media):
    """Overrides the root fixture: the package event's files must stay readable in every test."""
    for name, value in storage_settings(sharing_media).items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Rate-limit counters and index versions live in the cache; the decrypted index is cached per
    process by event id, and SQLite reuses ids after a rollback: start every test clean."""
    from recognition import index

    cache.clear()
    index._local.clear()
    yield
    index._local.clear()


@pytest.fixture(scope="package")
def bbt(django_db_setup, django_db_blocker, face_pipeline, sharing_media) -> RealEvent:
    with django_db_blocker.unblock(), override_settings(**storage_settings(sharing_media)):
        studio, owner = studio_create(name="Lumen Weddings", owner_email="owner@lumen.example", owner_password="pw-lumen-123")
        faces = detect_into_event(studio, owner, ALL_PATHS, face_pipeline)
        event_id = faces[0].event_id
        photo_ids = {photo.original_filename: photo.id for photo in Photo.objects.filter(event_id=event_id)}
    yield RealEvent(studio_id=studio.id, event_id=event_id, owner_id=owner.id, photo_ids=photo_ids)
    with django_db_blocker.unblock():
        Studio.objects.filter(id=studio.id).delete()
        User.objects.filter(id=owner.id).delete()


@pytest.fixture
def event(studio_a, alice):
    """A small event of one generated photo: link states and limits need no faces."""
    event = event_create(studio=studio_a, user=alice, name="Ana & Ben")
    photos_upload(event=event, user=alice, files=[SimpleUploadedFile("a.jpg", jpeg_bytes())])
    return event


def read_face(relative: str) -> bytes:
    return (FACES_DIR / relative).read_bytes()


def guest_client(ip: str = "203.0.113.7") -> APIClient:
    return APIClient(REMOTE_ADDR=ip, HTTP_USER_AGENT="pytest-guest/1.0")


def make_link(event: Event, **attributes) -> CreatedLink:
    return share_link_create(event=event, user=None, base_url="http://testserver", **attributes)


def search(client: APIClient, token: str, selfie: bytes | None, *, consent="true", pin=None, name="selfie.jpg",
           face: int | None = None):
    """POST a selfie search as a phone would (multipart); `face` picks one of the selfie's faces."""
    data = {"consent": consent}
    if pin is not None:
        data["pin"] = pin
    if face is not None:
        data["face"] = face
    if selfie is not None:
        data["selfie"] = SimpleUploadedFile(name, selfie)
    return client.post(f"/api/v1/guest/{token}/search", data, format="multipart")
