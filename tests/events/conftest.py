import pytest


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """POST files as an API client (headers too, e.g. a hot folder's) and run what the upload queued on
    commit (eager Celery), as a worker would."""

    def post(client, event_id, *files, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/api/v1/events/{event_id}/photos/", {"files": list(files)}, format="multipart",
                               **headers)

    return post
