"""A real camera FTP server on a free loopback port, in a thread of the test process, per test; the
database is really committed (transactional tests), so the server's threads see what tests write."""
import datetime
import ftplib
import ipaddress
import socket
import ssl
import struct
import threading
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from camera.conf import ftp_config
from camera.ftp.server import build_server
from camera.services import camera_password_rotate
from core.storage import object_storage
from events.services import event_create


@pytest.fixture
def start_ftp(settings):
    """start_ftp(**settings) → a running server; every one started is stopped at the test's end."""
    running = []

    def start(**overrides):
        for name, value in overrides.items():
            setattr(settings, name, value)
        server = build_server(ftp_config(), host="127.0.0.1", port=0, auth_failed_delay=0.05)
        stop = threading.Event()
        thread = threading.Thread(target=server.serve_until, args=(stop,), daemon=True)
        thread.start()
        running.append((stop, thread))
        return server

    yield start
    for stop, thread in running:
        stop.set()
        thread.join(15)
        assert not thread.is_alive(), "the FTP server did not stop"


@pytest.fixture
def ftp_server(start_ftp):
    return start_ftp()


@pytest.fixture
def wedding(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Wedding")


@pytest.fixture
def gala(studio_b, charlie):
    return event_create(studio=studio_b, user=charlie, name="Gala")


@pytest.fixture
def camera(wedding):
    """(username, password) of the wedding's camera account."""
    credentials = camera_password_rotate(event=wedding)
    return credentials.username, credentials.password


def connect(server, username: str, password: str, *, source: str = "127.0.0.1") -> ftplib.FTP:
    ftp = ftplib.FTP(timeout=60, source_address=(source, 0))
    ftp.connect("127.0.0.1", server.port)
    ftp.login(username, password)
    ftp.voidcmd("TYPE I")  # binary, as cameras send (SIZE is refused in ASCII mode)
    return ftp


@pytest.fixture
def self_signed(tmp_path):
    """(certificate, key) PEM paths for 127.0.0.1, made here with cryptography."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "ftp.crt", tmp_path / "ftp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def stored_objects() -> list[str]:
    """Every object in originals storage (an upload cut off must leave none)."""
    storage = object_storage()
    found, folders = [], [""]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder or "."):
            continue
        subfolders, files = storage.listdir(folder or ".")
        found += [f"{folder}/{name}" for name in files]
        folders += [f"{folder}/{name}".lstrip("/") for name in subfolders]
    return found


def drop_mid_upload(ftp: ftplib.FTP, name: str, sent: bytes, *, tls: bool = False) -> ftplib.Error:
    """STOR `name`, send `sent`, then the line drops: a TCP reset, not an orderly end of file (nor,
    over TLS, a close_notify). The server's answer on the control connection (an error) is returned."""
    data_socket = ftp.transfercmd(f"STOR {name}")
    assert isinstance(data_socket, ssl.SSLSocket) == tls  # PROT P: the data connection is TLS too
    data_socket.sendall(sent)
    time.sleep(0.3)
    data_socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    data_socket.close()
    with pytest.raises(ftplib.Error) as aborted:
        ftp.voidresp()
    return aborted.value
