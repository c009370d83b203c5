"""What a camera account cannot do over FTP: leave its event's virtual folder (`..`, absolute paths,
symlinks), read or change stored originals, see or write another event, guess passwords (lockout),
use a rotated password, or exceed its sessions and bandwidth. And FTPS with a real TLS session."""
import ftplib
import io
import os
import ssl
import time

import pytest

from camera.services import camera_password_rotate
from events.models import Photo, PhotoSource
from tests.camera.conftest import connect
from tests.factories import FACES_DIR, client_for

pytestmark = pytest.mark.django_db(transaction=True)

OBAMA = FACES_DIR / "portraits" / "obama.jpg"
BIDEN = FACES_DIR / "portraits" / "biden.jpg"


def stor(ftp, name, data):
    return ftp.storbinary(f"STOR {name}", io.BytesIO(data))


def test_dot_dot_and_absolute_paths_stay_inside_the_events_folder(ftp_server, camera, wedding, tmp_path):
    outside = tmp_path / "escape.jpg"
    ftp = connect(ftp_server, *camera)
    ftp.cwd("../../../..")
    assert ftp.pwd() == "/"
    reply = stor(ftp, "../../../.." + str(outside), OBAMA.read_bytes())
    assert reply.startswith("226 Stored escape.jpg")  # a photo of the event, named by its last part
    assert not outside.exists()
    assert Photo.objects.get(event=wedding).original_filename == "escape.jpg"
    for path in ("/etc/passwd", "../../etc/passwd", os.path.abspath(__file__)):
        with pytest.raises(ftplib.error_perm):
            ftp.size(path)
        with pytest.raises(ftplib.error_perm):
            ftp.retrbinary(f"RETR {path}", lambda block: None)
    with pytest.raises(ftplib.error_perm):
        ftp.nlst("/etc")  # a folder nobody made here does not exist: nothing of the disk is ever listed
    ftp.cwd("/etc")  # a camera's CWD makes it: a view of the event, never of the disk
    assert ftp.nlst() == ["escape.jpg"]
    ftp.quit()


def test_a_symlink_planted_in_the_spool_is_never_followed(ftp_server, camera, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for cameras")
    (ftp_server.spool.directory / "evil.jpg").symlink_to(secret)
    (ftp_server.spool.directory / "upload-evil").symlink_to(secret)
    ftp = connect(ftp_server, *camera)
    assert "evil.jpg" not in ftp.nlst() and "upload-evil" not in ftp.nlst()
    with pytest.raises(ftplib.error_perm):
        ftp.retrbinary("RETR evil.jpg", lambda block: None)
    stor(ftp, "evil.jpg", OBAMA.read_bytes())
    assert secret.read_text() == "not for cameras"
    ftp.quit()


def test_stored_originals_cannot_be_read_deleted_or_renamed(ftp_server, camera, wedding, alice):
    ftp = connect(ftp_server, *camera)
    stor(ftp, "obama.jpg", OBAMA.read_bytes())
    for refused in (lambda: ftp.retrbinary("RETR obama.jpg", lambda block: None), lambda: ftp.delete("obama.jpg"),
                    lambda: ftp.rename("obama.jpg", "x.jpg"), lambda: ftp.rmd("/"),
                    lambda: ftp.storbinary("APPE obama.jpg", io.BytesIO(b"more"))):
        with pytest.raises(ftplib.error_perm) as answer:
            refused()
        assert str(answer.value).startswith("550")
    photo = Photo.objects.get(event=wedding)
    original = client_for(alice).get(f"/api/v1/photos/{photo.id}/original")
    assert b"".join(original.streaming_content) == OBAMA.read_bytes()
    ftp.quit()


def test_a_cameras_own_folders_are_accepted_and_harmless(ftp_server, camera, wedding):
    ftp = connect(ftp_server, *camera)
    assert ftp.mkd("DCIM/100CANON") == "/DCIM/100CANON"
    ftp.cwd("DCIM/100CANON")
    assert stor(ftp, "IMG_0001.JPG", OBAMA.read_bytes()).startswith("226 Stored IMG_0001.JPG")
    ftp.cwd("/")
    assert "DCIM" in ftp.nlst() and "IMG_0001.JPG" in ftp.nlst()
    assert Photo.objects.get(event=wedding).original_filename == "IMG_0001.JPG"
    assert not any(path.is_dir() for path in ftp_server.spool.directory.iterdir())  # no real folder was made
    ftp.quit()


def test_another_events_account_neither_sees_nor_writes_this_event(ftp_server, camera, wedding, gala):
    ftp = connect(ftp_server, *camera)
    stor(ftp, "wedding-only.jpg", OBAMA.read_bytes())
    ftp.quit()
    gala_account = camera_password_rotate(event=gala)
    other = connect(ftp_server, gala_account.username, gala_account.password)
    assert other.nlst() == []
    with pytest.raises(ftplib.error_perm):
        other.size("wedding-only.jpg")
    stor(other, "gala.jpg", BIDEN.read_bytes())
    other.quit()
    assert list(Photo.objects.filter(event=wedding).values_list("original_filename", flat=True)) == ["wedding-only.jpg"]
    assert Photo.objects.get(event=gala).studio_id == gala.studio_id
    with pytest.raises(ftplib.error_perm) as crossed:  # one event's username with the other's password
        connect(ftp_server, camera[0], gala_account.password)
    assert str(crossed.value) == "530 Authentication failed."


def test_wrong_passwords_lock_the_account_out_for_that_address_only(start_ftp, camera):
    server = start_ftp(VISAGE_FTP_MAX_FAILURES=3, VISAGE_FTP_LOCKOUT_SECONDS=600)
    username, password = camera
    for _ in range(3):
        with pytest.raises(ftplib.error_perm) as wrong:
            connect(server, username, "not-the-password")
        assert str(wrong.value) == "530 Authentication failed."
    with pytest.raises(ftplib.error_perm) as locked:
        connect(server, username, password)  # even the right password waits out the lockout
    assert str(locked.value).startswith("530 Too many wrong passwords; this account is locked here for")
    connect(server, username, password, source="127.0.0.2").quit()  # the camera elsewhere still gets in


def test_a_rotated_password_replaces_the_old_one_at_once(ftp_server, camera, wedding):
    username, old_password = camera
    new = camera_password_rotate(event=wedding)
    assert new.username == username and new.password != old_password
    with pytest.raises(ftplib.error_perm) as refused:
        connect(ftp_server, username, old_password)
    assert str(refused.value) == "530 Authentication failed."
    connect(ftp_server, username, new.password).quit()


def test_an_event_without_a_password_yet_has_no_way_in(ftp_server, wedding):
    from camera.services import camera_credentials

    credentials = camera_credentials(event=wedding)
    assert credentials.has_password is False
    for password in ("", "anything"):
        with pytest.raises(ftplib.error_perm):
            connect(ftp_server, credentials.username, password)


def test_sessions_per_account_are_capped(start_ftp, camera):
    server = start_ftp(VISAGE_FTP_MAX_SESSIONS_PER_USER=1)
    first = connect(server, *camera)
    with pytest.raises(ftplib.error_perm) as second:
        connect(server, *camera)
    assert "sessions open" in str(second.value)
    first.quit()
    time.sleep(0.3)
    connect(server, *camera).quit()


def test_upload_bandwidth_per_session_is_throttled(start_ftp, camera, wedding):
    server = start_ftp(VISAGE_FTP_UPLOAD_BYTES_PER_SECOND=64 * 1024)
    data = (FACES_DIR / "bbt" / "group" / "bbt1.jpg").read_bytes()
    assert len(data) > 3 * 64 * 1024
    ftp = connect(server, *camera)
    started = time.monotonic()
    stor(ftp, "slow.jpg", data)
    assert time.monotonic() - started > 0.5 * len(data) / (64 * 1024)  # unthrottled it takes milliseconds
    ftp.quit()


def test_ftps_with_explicit_tls_stores_the_photo(start_ftp, camera, wedding, self_signed):
    cert, key = self_signed
    server = start_ftp(VISAGE_FTP_TLS_CERT=cert, VISAGE_FTP_TLS_KEY=key)
    context = ssl.create_default_context(cafile=cert)
    ftp = ftplib.FTP_TLS(context=context, timeout=60)
    ftp.connect("127.0.0.1", server.port)
    ftp.auth()
    ftp.login(*camera)
    ftp.prot_p()
    assert stor(ftp, "secure.jpg", OBAMA.read_bytes()).startswith("226 Stored secure.jpg")
    assert Photo.objects.get(event=wedding).source == PhotoSource.FTP
    ftp.quit()
    plain = ftplib.FTP(timeout=30)
    plain.connect("127.0.0.1", server.port)
    plain.login(*camera)  # TLS optional: plain FTP cameras still get in
    plain.quit()


def test_required_tls_refuses_plain_ftp(start_ftp, camera, self_signed):
    cert, key = self_signed
    server = start_ftp(VISAGE_FTP_TLS_CERT=cert, VISAGE_FTP_TLS_KEY=key, VISAGE_FTP_REQUIRE_TLS=True)
    plain = ftplib.FTP(timeout=30)
    plain.connect("127.0.0.1", server.port)
    with pytest.raises(ftplib.error_perm) as refused:
        plain.login(*camera)
    assert "SSL/TLS required" in str(refused.value)
    secure = ftplib.FTP_TLS(context=ssl.create_default_context(cafile=cert), timeout=30)
    secure.connect("127.0.0.1", server.port)
    secure.login(*camera)  # ftplib sends AUTH TLS first
    secure.quit()


def test_passive_mode_uses_the_configured_ports_and_public_address(start_ftp, camera, wedding):
    server = start_ftp(VISAGE_FTP_PASSIVE_PORTS="40100-40109", VISAGE_FTP_MASQUERADE_ADDRESS="203.0.113.7")
    ftp = connect(server, *camera)
    reply = ftp.sendcmd("PASV")  # what a camera behind the venue's NAT is told to connect to
    numbers = [int(n) for n in reply[reply.index("(") + 1:reply.index(")")].split(",")]
    assert numbers[:4] == [203, 0, 113, 7] and 40100 <= numbers[4] * 256 + numbers[5] <= 40109
    ftp.close()


def test_one_address_guessing_across_accounts_is_capped(start_ftp, camera, gala):
    server = start_ftp(VISAGE_FTP_FAILURES_PER_CLIENT=(2, 900))
    for username in ("e1-aaaaaa", "e2-bbbbbb"):
        with pytest.raises(ftplib.error_perm):
            connect(server, username, "guess", source="127.0.0.3")
    with pytest.raises(ftplib.error_perm) as capped:
        connect(server, *camera, source="127.0.0.3")
    assert str(capped.value).startswith("530 Too many wrong passwords from this address")
    connect(server, *camera).quit()  # other addresses are not held back
