"""An upload over FTPS (AUTH TLS, PROT P: the data connection encrypted too) whose data connection
drops mid-transfer leaves nothing stored, and resumes with REST over TLS into exactly one photo,
byte-identical to what the camera holds (the plain-FTP version is in test_ftp_upload.py)."""
import ftplib
import hashlib
import io
import ssl

import pytest

from events.models import Photo, PhotoSource, UploadRejection
from tests.camera.conftest import drop_mid_upload, stored_objects
from tests.factories import FACES_DIR, client_for

pytestmark = pytest.mark.django_db(transaction=True)

GROUP = FACES_DIR / "bbt" / "group" / "bbt1.jpg"


def connect_tls(server, username: str, password: str, cafile: str) -> ftplib.FTP_TLS:
    ftp = ftplib.FTP_TLS(context=ssl.create_default_context(cafile=cafile), timeout=60)
    ftp.connect("127.0.0.1", server.port)
    ftp.auth()
    ftp.login(username, password)
    ftp.prot_p()
    ftp.voidcmd("TYPE I")
    return ftp


def test_an_ftps_upload_cut_off_stores_nothing_and_resumes_over_tls_once(start_ftp, camera, wedding, alice,
                                                                          self_signed):
    cert, key = self_signed
    server = start_ftp(VISAGE_FTP_TLS_CERT=cert, VISAGE_FTP_TLS_KEY=key, VISAGE_FTP_REQUIRE_TLS=True)
    data = GROUP.read_bytes()
    half = len(data) // 2
    ftp = connect_tls(server, *camera, cert)
    # PROT P: the photo travels encrypted; the line drops with no TLS close_notify.
    assert str(drop_mid_upload(ftp, "party.jpg", data[:half], tls=True)).startswith("426 Connection lost after")
    ftp.close()
    assert not Photo.objects.exists() and not UploadRejection.objects.exists() and not stored_objects()

    camera_again = connect_tls(server, *camera, cert)  # the camera reconnects and asks how far it got
    received = camera_again.size("party.jpg")
    assert 0 < received <= half
    reply = camera_again.storbinary("STOR party.jpg", io.BytesIO(data[received:]), rest=received)
    assert reply.startswith("226 Stored party.jpg")
    camera_again.quit()

    photo = Photo.objects.get(event=wedding)  # exactly one
    assert photo.source == PhotoSource.FTP and photo.size == len(data)
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    original = client_for(alice).get(f"/api/v1/photos/{photo.id}/original")
    assert hashlib.sha256(b"".join(original.streaming_content)).hexdigest() == hashlib.sha256(data).hexdigest()
    assert [path for path in stored_objects() if "/originals/" in path] == [photo.original_key]
    assert not list(server.spool.directory.iterdir())  # the partial is gone from the spool too
