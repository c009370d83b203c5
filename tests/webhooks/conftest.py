"""Webhook test fixtures: the loopback receiver (tests/http_receiver.py) and fast retries."""
import pytest

from tests.http_receiver import Receiver, receiver  # noqa: F401 - fixture and its type for the tests


@pytest.fixture
def fast_retries(settings):
    """Six attempts 0.2-0.6 s apart instead of over an hour; 2 s timeouts."""
    settings.VISAGE_WEBHOOK_BACKOFF_SECONDS = [0.2, 0.3, 0.4, 0.5, 0.6]
    settings.VISAGE_WEBHOOK_TIMEOUT_SECONDS = 2
    return settings.VISAGE_WEBHOOK_BACKOFF_SECONDS


def closed_port_url() -> str:
    """A loopback URL nothing listens on (the port was just released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"
