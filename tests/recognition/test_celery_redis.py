"""Upload → ingest → face detection through a real Celery worker over a real Redis broker."""
import os
import time

import pytest
import redis
from kombu import pools
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Photo, PhotoState
from events.services import event_create, photos_upload
from recognition.models import Face
from tests.factories import FACES_DIR
from visage.celery import app

# CI sets REDIS_URL; locally the machine's Redis is used. A separate DB number keeps tests apart.
BROKER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/15"


@pytest.fixture
def redis_worker(settings, face_pipeline):
    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {BROKER}")
    redis.Redis.from_url(BROKER).flushdb()
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(broker_url=BROKER, task_always_eager=False, broker_transport_options={})
    _reset_connections()
    with start_worker(app, queues=["ingest", "gpu", "cluster"], perform_ping_check=False, shutdown_timeout=30):
        yield
    app.conf.update(**previous)
    _reset_connections()


def _reset_connections() -> None:
    """Drop pooled connections so the next publish uses the broker_url just set."""
    pools.reset()  # kombu's global pools are keyed by connection: drop them, not just close
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_photos_processed_by_a_real_worker(redis_worker, studio_a, alice):
    event = event_create(studio=studio_a, user=alice, name="Redis")
    paths = [FACES_DIR / "portraits" / "two_people_obama_biden.jpg", FACES_DIR / "portraits" / "biden.jpg"]
    photos_upload(event=event, user=alice, files=[SimpleUploadedFile(p.name, p.read_bytes()) for p in paths])
    deadline = time.monotonic() + 120
    while Photo.objects.filter(event=event).exclude(state__in=[PhotoState.DONE, PhotoState.FAILED]).exists():
        assert time.monotonic() < deadline, "worker did not finish in 120 s"
        time.sleep(0.5)
    assert set(Photo.objects.filter(event=event).values_list("state", flat=True)) == {PhotoState.DONE}
    assert Face.objects.filter(event=event, usable=True).count() == 3
