"""Shared fixtures. Every permission test has two studios: alice owns A, bob photographs for A,
vera views A, and charlie owns B (the outsider, who must get 404 on A's objects)."""
import pytest

from tests.factories import client_for
from tests.rate_clock import RateClock
from core.tenancy.models import Role
from core.tenancy.services import membership_add, studio_create

@pytest.fixture
def studio_a(db):
    studio, _ = studio_create(name="Studio A", owner_email="alice@a.example", owner_password="pw-alice-123")
    return studio

@pytest.fixture
def studio_b(db):
    studio, _ = studio_create(name="Studio B", owner_email="charlie@b.example", owner_password="pw-charlie-123")
    return studio

@pytest.fixture
def alice(studio_a):
    return studio_a.memberships.get(role=Role.OWNER).user

@pytest.fixture
def bob(studio_a):
    return membership_add(studio=studio_a, email="bob@a.example", password="pw-bob-123", role=Role.PHOTOGRAPHER).user

@pytest.fixture
def vera(studio_a):
    return membership_add(studio=studio_a, email="vera@a.example", password="pw-vera-123", role=Role.VIEWER).user

@pytest.fixture
def charlie(studio_b):
    return studio_b.memberships.get(role=Role.OWNER).user

@pytest.fixture
def as_alice(alice):
    return client_for(alice)

@pytest.fixture
def as_bob(bob):
    return client_for(bob)

@pytest.fixture
def as_vera(vera):
    return client_for(vera)

@pytest.fixture
def as_charlie(charlie):
    return client_for(charlie)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """With --reuse-db (the mutation gate's workers, scripts/mutation.py) start from empty tables: a
    worker stopped mid-test (a mutant that hung) leaves a transactional test's rows behind."""
    if request.config.getoption("reuse_db"):
        from django.core.management import call_command

        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
    yield


@pytest.fixture(autouse=True)
def isolated_storage(settings, tmp_path):
    """Each test gets its own empty object store, so counts of stored files mean something."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def face_pipeline():
    """The real detector + embedder, loaded once per test session (CPU)."""
    from recognition.conf import face_pipeline as configured_pipeline

    return configured_pipeline()


@pytest.fixture
def clock(monkeypatch) -> RateClock:
    """core.ratelimit's clock, moved by hand from RateClock.START (tests/rate_clock.py)."""
    from core import ratelimit

    fake = RateClock()
    monkeypatch.setattr(ratelimit, "now", fake)
    return fake
