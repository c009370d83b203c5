"""A real SMTP server on loopback (aiosmtpd) with Django's SMTP backend pointed at it: mail tests
see what a mail server accepted, parsed back with the standard library. `smtp_on_loopback` serves
live stacks too (tests/camera/test_live_delivery_e2e.py, scripts/bench_live.py), which are pointed
at it through EMAIL_BACKEND, EMAIL_HOST and EMAIL_PORT."""
import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list = field(default_factory=list)  # email.message.EmailMessage, in arrival order
    accepted_at: list = field(default_factory=list)  # time.time() each message was accepted, same order
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def environment(self) -> dict[str, str]:
        """What a Visage process needs in its environment to send here."""
        return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": self.host,
                "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "false", "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""}

    def wait(self, predicate, timeout: float) -> bool:
        """Until predicate(self) holds (checked at each arrival) or timeout seconds passed."""
        with self.arrived:
            return self.arrived.wait_for(lambda: predicate(self), timeout)


class _Collect:
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.mailbox.arrived:
            self.mailbox.accepted_at.append(time.time())
            self.mailbox.messages.append(message)
            self.mailbox.arrived.notify_all()
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_on_loopback(*, port: int | None = None) -> Iterator[Mailbox]:
    mailbox = Mailbox("127.0.0.1", port or free_port())
    controller = Controller(_Collect(mailbox), hostname=mailbox.host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    with smtp_on_loopback() as mailbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = mailbox.host, mailbox.port, 5
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield mailbox
