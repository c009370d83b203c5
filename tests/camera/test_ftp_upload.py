"""Camera upload over FTP against a real server on loopback (ftplib as the camera): what arrives goes
through the one upload service, is stored byte for byte and processed to faces; what is refused gets
an FTP error with the reason and leaves nothing stored."""
import ftplib
import io
import socket
import time

import pytest

from camera.services import camera_upload_switch
from events.models import Photo, PhotoSource, PhotoState, UploadRejection
from recognition.models import Face
from tests.abuse.conftest import WEBP_BOMB_177MP
from tests.camera.conftest import connect, drop_mid_upload, stored_objects
from tests.factories import FACES_DIR, client_for

pytestmark = pytest.mark.django_db(transaction=True)

OBAMA = FACES_DIR / "portraits" / "obama.jpg"
GROUP = FACES_DIR / "bbt" / "group" / "bbt1.jpg"


def stor(ftp: ftplib.FTP, name: str, data: bytes) -> str:
    return ftp.storbinary(f"STOR {name}", io.BytesIO(data))


def test_a_photo_sent_by_ftp_is_stored_byte_identical_and_processed_to_faces(ftp_server, camera, wedding, alice):
    ftp = connect(ftp_server, *camera)
    reply = stor(ftp, "obama.jpg", OBAMA.read_bytes())
    photo = Photo.objects.get(event=wedding)
    assert reply == f"226 Stored obama.jpg as photo {photo.id}; processing started."
    assert photo.source == PhotoSource.FTP and photo.original_filename == "obama.jpg"
    assert photo.state == PhotoState.DONE  # queued for the engine on commit (eager Celery here)
    assert Face.objects.filter(photo=photo).count() == 1
    original = client_for(alice).get(f"/api/v1/photos/{photo.id}/original")
    assert b"".join(original.streaming_content) == OBAMA.read_bytes()
    assert ftp.size("obama.jpg") == OBAMA.stat().st_size and ftp.nlst() == ["obama.jpg"]
    ftp.quit()


def test_a_file_that_is_not_a_photo_is_refused_with_its_reason_and_nothing_is_stored(ftp_server, camera, wedding):
    ftp = connect(ftp_server, *camera)
    with pytest.raises(ftplib.error_perm) as refused:
        stor(ftp, "notes.jpg", b"these are my notes, not a photo" * 10)
    assert str(refused.value).startswith("550 notes.jpg: ") and "image" in str(refused.value)
    truncated = OBAMA.read_bytes()[: OBAMA.stat().st_size // 2]
    with pytest.raises(ftplib.error_perm) as damaged:
        stor(ftp, "half.jpg", truncated)
    assert str(damaged.value).startswith("550 half.jpg: ")
    assert not Photo.objects.exists() and not stored_objects()
    rejections = {r.filename: r for r in UploadRejection.objects.filter(event=wedding)}
    assert set(rejections) == {"notes.jpg", "half.jpg"}
    assert {r.source for r in rejections.values()} == {PhotoSource.FTP}
    assert rejections["notes.jpg"].reason in str(refused.value)
    assert ftp.nlst() == []  # nothing of them is left to list either
    ftp.quit()


def test_the_same_bytes_again_are_a_duplicate_not_a_second_photo(ftp_server, camera, wedding):
    ftp = connect(ftp_server, *camera)
    stor(ftp, "IMG_0001.JPG", OBAMA.read_bytes())
    reply = stor(ftp, "IMG_0002.JPG", OBAMA.read_bytes())  # a camera re-sending after a lost reply
    assert reply.startswith("226 IMG_0002.JPG: same bytes as IMG_0001.JPG")
    assert Photo.objects.filter(event=wedding).count() == 1
    ftp.quit()


def test_a_decompression_bomb_is_refused_from_its_header(ftp_server, camera, wedding):
    ftp = connect(ftp_server, *camera)
    with pytest.raises(ftplib.error_perm) as refused:
        stor(ftp, "bomb.webp", WEBP_BOMB_177MP)
    assert str(refused.value).startswith("550 bomb.webp: ") and "memory" in str(refused.value)
    assert not Photo.objects.exists() and not stored_objects()
    assert UploadRejection.objects.get(event=wedding).source == PhotoSource.FTP
    ftp.quit()


def test_a_file_over_the_size_limit_is_cut_off_with_552(start_ftp, camera, wedding):
    server = start_ftp(VISAGE_MAX_UPLOAD_BYTES=20_000)
    ftp = connect(server, *camera)
    with pytest.raises(ftplib.Error) as refused:
        stor(ftp, "big.jpg", OBAMA.read_bytes())  # ~ 80 KB
    assert str(refused.value).startswith("552 big.jpg: ") and "limit" in str(refused.value)
    assert not Photo.objects.exists() and not stored_objects()
    assert UploadRejection.objects.get(event=wedding).source == PhotoSource.FTP
    assert not list(server.spool.directory.iterdir())  # nothing kept in the spool either


def test_an_interrupted_upload_is_never_stored_and_resumes_with_rest(ftp_server, camera, wedding, alice):
    data = GROUP.read_bytes()
    half = len(data) // 2
    ftp = connect(ftp_server, *camera)
    assert str(drop_mid_upload(ftp, "party.jpg", data[:half])).startswith("426")
    ftp.close()
    assert not Photo.objects.exists() and not UploadRejection.objects.exists() and not stored_objects()

    camera_again = connect(ftp_server, *camera)  # the camera reconnects and asks how far it got
    received = camera_again.size("party.jpg")
    assert 0 < received <= half
    reply = camera_again.storbinary("STOR party.jpg", io.BytesIO(data[received:]), rest=received)
    assert reply.startswith("226 Stored party.jpg")
    photo = Photo.objects.get(event=wedding)
    original = client_for(alice).get(f"/api/v1/photos/{photo.id}/original")
    assert b"".join(original.streaming_content) == data
    assert photo.state == PhotoState.DONE and Face.objects.filter(photo=photo).count() >= 2
    camera_again.quit()


def test_a_camera_that_dies_mid_upload_leaves_nothing_stored(ftp_server, camera, wedding):
    data = GROUP.read_bytes()
    ftp = connect(ftp_server, *camera)
    ftp.voidcmd("TYPE I")
    data_socket = ftp.transfercmd("STOR party.jpg")
    data_socket.sendall(data[: len(data) // 3])
    time.sleep(0.3)
    ftp.sock.shutdown(socket.SHUT_RDWR)  # the process dies: both connections end, control first here
    data_socket.close()
    time.sleep(1.0)
    assert not Photo.objects.exists() and not UploadRejection.objects.exists() and not stored_objects()
    resumed = connect(ftp_server, *camera)
    assert resumed.size("party.jpg") == len(data) // 3  # kept for a resume, not stored, not refused
    resumed.quit()


def test_rest_without_an_interrupted_upload_is_refused_cleanly(ftp_server, camera):
    ftp = connect(ftp_server, *camera)
    with pytest.raises(ftplib.error_perm) as refused:
        ftp.storbinary("STOR never-sent.jpg", io.BytesIO(OBAMA.read_bytes()[100:]), rest=100)
    assert str(refused.value).startswith("550 No interrupted upload of never-sent.jpg to resume")
    assert not Photo.objects.exists()
    ftp.quit()


def test_camera_upload_turned_off_refuses_logins_and_uploads_in_progress(ftp_server, camera, wedding):
    ftp = connect(ftp_server, *camera)
    camera_upload_switch(event=wedding, enabled=False)
    with pytest.raises(ftplib.error_perm) as refused:
        stor(ftp, "obama.jpg", OBAMA.read_bytes())
    assert str(refused.value) == "550 Camera upload was turned off for this event; nothing was stored."
    ftp.close()
    with pytest.raises(ftplib.error_perm) as login:
        connect(ftp_server, *camera)
    assert str(login.value) == "530 Camera upload is turned off for this event."
    assert not Photo.objects.exists()
    camera_upload_switch(event=wedding, enabled=True)
    connect(ftp_server, *camera).quit()  # the same credentials work again


def test_a_rest_past_what_arrived_is_refused_and_the_resume_stays_possible(ftp_server, camera, wedding):
    data = GROUP.read_bytes()
    ftp = connect(ftp_server, *camera)
    drop_mid_upload(ftp, "party.jpg", data[:40_000])
    received = ftp.size("party.jpg")
    with pytest.raises(ftplib.error_perm) as refused:
        ftp.storbinary("STOR party.jpg", io.BytesIO(data[received + 10:]), rest=received + 10)
    assert str(refused.value).startswith("554")
    reply = ftp.storbinary("STOR party.jpg", io.BytesIO(data[received:]), rest=received)
    assert reply.startswith("226 Stored party.jpg")
    assert Photo.objects.get(event=wedding).size == len(data)
    ftp.quit()
