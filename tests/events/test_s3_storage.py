"""The S3 path against a real S3-compatible server (moto) on loopback."""
import socket
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from moto.server import ThreadedMotoServer

from events.models import Photo
from events.services import event_create, photos_upload
from rest_framework.test import APIClient
from sharing.models import Scope
from sharing.services.links import share_link_create, share_link_revoke
from tests.factories import FACES_DIR

OBAMA = FACES_DIR / "portraits" / "obama.jpg"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    credentials = {"access_key": "test-key", "secret_key": "test-secret", "region_name": "us-east-1"}
    boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id="test-key", aws_secret_access_key="test-secret", region_name="us-east-1"
    ).create_bucket(Bucket="visage-test")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": "visage-test", "endpoint_url": s3_endpoint, "querystring_expire": 120,
            "addressing_style": "path", "signature_version": "s3v4", "file_overwrite": True, **credentials,
        }},
    }
    return s3_endpoint


def test_upload_then_presigned_download_is_byte_identical(s3_storage, as_alice, django_capture_on_commit_callbacks):
    event_id = as_alice.post("/api/v1/events/", {"name": "S3 event"}).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            f"/api/v1/events/{event_id}/photos/", {"files": [SimpleUploadedFile("obama.jpg", OBAMA.read_bytes())]}, format="multipart"
        )
    assert response.status_code == 201, response.json()
    photo = Photo.objects.get()
    assert photo.state == "done" and photo.preview_key
    original = as_alice.get(f"/api/v1/photos/{photo.id}/original")
    assert original.status_code == 302
    url = original["Location"]
    assert url.startswith(s3_storage) and "X-Amz-Expires=60" in url and "X-Amz-Signature" in url
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content == OBAMA.read_bytes()
    assert "obama.jpg" in fetched.headers["Content-Disposition"]


def test_verify_originals_on_s3(s3_storage, as_alice, capsys):
    event_id = as_alice.post("/api/v1/events/", {"name": "S3 event"}).json()["id"]
    as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [SimpleUploadedFile("o.jpg", OBAMA.read_bytes())]}, format="multipart")
    call_command("verify_originals")
    assert "1 OK, 0 with problems" in capsys.readouterr().out
    from core.storage import object_storage

    object_storage().delete(Photo.objects.get().original_key)
    with pytest.raises(CommandError):
        call_command("verify_originals")
    assert "MISSING" in capsys.readouterr().out


def test_a_guest_download_url_lives_as_long_as_configured(s3_storage, alice, settings, django_capture_on_commit_callbacks):
    """Revoking a link cannot recall a URL already handed out, so that URL must be short-lived.
    Before: 300 s by default, and the storage's own expiry rather than the documented setting."""
    assert settings.VISAGE_PRESIGNED_URL_SECONDS == 60  # the default, as docs/operations.md says
    settings.VISAGE_PRESIGNED_URL_SECONDS = 45
    event = event_create(studio=alice.memberships.get().studio, user=alice, name="S3 guests")
    with django_capture_on_commit_callbacks(execute=True):
        photos_upload(event=event, user=alice, files=[SimpleUploadedFile("o.jpg", OBAMA.read_bytes())])
    created = share_link_create(event=event, user=alice, base_url="http://testserver", scope=Scope.EVENT)
    guest = APIClient()
    assert guest.post(f"/api/v1/guest/{created.token}/session", {"consent": True}, format="json").status_code == 201
    download = guest.get(f"/api/v1/guest/{created.token}/photos/{Photo.objects.get().id}/original")
    assert download.status_code == 302
    query = parse_qs(urlsplit(download["Location"]).query)
    assert query["X-Amz-Expires"] == ["45"]
    share_link_revoke(link=created.link)
    assert guest.get(f"/api/v1/guest/{created.token}/photos/{Photo.objects.get().id}/original").status_code == 410
    # The trade-off the setting bounds: the URL handed out before the revocation works until it expires.
    assert requests.get(download["Location"], timeout=10).status_code == 200
