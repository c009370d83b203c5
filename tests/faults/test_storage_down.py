"""Fault 3: object storage (an S3 server) is down during an upload: a clear 503, nothing
half-stored (no row without its object), and the retry succeeds."""
import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from events.models import Photo
from core.storage import object_storage
from tests.faults.conftest import free_port
from tests.faults.helpers import PHOTOS, as_upload


@pytest.fixture
def s3_server(settings):
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s",
                 region_name="us-east-1").create_bucket(Bucket="visage-faults")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "visage-faults", "endpoint_url": endpoint, "access_key": "k", "secret_key": "s",
        "region_name": "us-east-1", "addressing_style": "path", "signature_version": "s3v4", "file_overwrite": True,
        # Fail fast in the test; production keeps botocore's default retries.
        "client_config": Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=2, read_timeout=5),
    }}}
    holder = {"server": server}

    def restart():
        holder["server"] = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        holder["server"].start()  # moto keeps its buckets in this process: the data is still there

    yield server, restart
    holder["server"].stop()


def test_upload_while_storage_is_down_is_503_and_stores_nothing(s3_server, as_alice):
    server, restart = s3_server
    event_id = as_alice.post("/api/v1/events/", {"name": "Storage down"}).json()["id"]
    first, second = PHOTOS[0], PHOTOS[1]
    assert as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(first)]},
                         format="multipart").status_code == 201
    server.stop()

    response = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(second)]}, format="multipart")
    assert response.status_code == 503, response.content
    assert "storage is unavailable" in response.content.decode() and second.name in response.content.decode()
    assert list(Photo.objects.filter(event_id=event_id).values_list("original_filename", flat=True)) == [first.name]

    restart()
    retry = as_alice.post(f"/api/v1/events/{event_id}/photos/", {"files": [as_upload(first), as_upload(second)]},
                          format="multipart")
    assert retry.status_code == 201, retry.content
    assert [r["status"] for r in retry.json()["results"]] == ["duplicate", "created"]
    storage = object_storage()
    for photo in Photo.objects.filter(event_id=event_id):  # no row without its object
        with storage.open(photo.original_key, "rb") as handle:
            assert handle.read() == (PHOTOS[0] if photo.original_filename == first.name else PHOTOS[1]).read_bytes()
