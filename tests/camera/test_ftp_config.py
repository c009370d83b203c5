"""Every VISAGE_FTP_* variable is read from the environment and takes effect, and
`python manage.py ftp_server` serves until SIGTERM (a real process)."""
import ftplib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from camera.conf import parse_port_range

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_ftp_variable_is_read_from_the_environment(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("VISAGE_", "DJANGO_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="visage.settings.production", DJANGO_SECRET_KEY="x" * 50, VISAGE_MASTER_KEYS="k1:x",
        VISAGE_FTP_HOST="0.0.0.0", VISAGE_FTP_PORT="2221", VISAGE_FTP_PUBLIC_HOST="photos.example",
        VISAGE_FTP_PUBLIC_PORT="21", VISAGE_FTP_PASSIVE_PORTS="30000-30009", VISAGE_FTP_MASQUERADE_ADDRESS="203.0.113.7",
        VISAGE_FTP_TLS_CERT="/etc/visage/ftp.pem", VISAGE_FTP_TLS_KEY="/etc/visage/ftp.key", VISAGE_FTP_REQUIRE_TLS="true",
        VISAGE_FTP_MAX_SESSIONS_PER_USER="2", VISAGE_FTP_UPLOAD_BYTES_PER_SECOND="1000000", VISAGE_FTP_MAX_FAILURES="7",
        VISAGE_FTP_LOCKOUT_SECONDS="60", VISAGE_FTP_FAILURES_PER_CLIENT="9", VISAGE_FTP_RESUME_SECONDS="30",
        VISAGE_MAX_UPLOAD_BYTES="1000")
    shown = subprocess.run([sys.executable, "-c", (
        "import django, json, dataclasses; django.setup(); from django.conf import settings as s; "
        "from camera.conf import ftp_config; c = dataclasses.asdict(ftp_config()); "
        "c['passive_ports'] = [c['passive_ports'].start, c['passive_ports'].stop]; "
        "print(json.dumps([c, s.VISAGE_FTP_MAX_FAILURES, s.VISAGE_FTP_LOCKOUT_SECONDS, s.VISAGE_FTP_FAILURES_PER_CLIENT]))")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    config, failures, lockout, per_client = json.loads(shown.stdout.strip().splitlines()[-1])
    assert config == {
        "host": "0.0.0.0", "port": 2221, "public_host": "photos.example", "public_port": 21,
        "passive_ports": [30000, 30010], "masquerade_address": "203.0.113.7", "tls_cert": "/etc/visage/ftp.pem",
        "tls_key": "/etc/visage/ftp.key", "require_tls": True, "max_sessions_per_user": 2,
        "upload_bytes_per_second": 1000000, "max_upload_bytes": 1000, "resume_seconds": 30}
    assert (failures, lockout, per_client) == (7, 60, [9, 900])


@pytest.mark.parametrize("text", ["30000", "30010-30000", "80-90", "a-b"])
def test_a_bad_passive_range_is_refused_at_start(text):
    if text == "30000":
        assert parse_port_range(text) == range(30000, 30001)
        return
    with pytest.raises(ImproperlyConfigured):
        parse_port_range(text)


def test_the_management_command_serves_until_sigterm(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environment.update(DJANGO_SETTINGS_MODULE="visage.settings.test")
    server = subprocess.Popen([sys.executable, "manage.py", "ftp_server", "--port", str(port)], cwd=ROOT,
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ftp = ftplib.FTP()
                assert ftp.connect("127.0.0.1", port, timeout=5) == "220 Visage camera upload ready."
                assert ftp.sendcmd("USER someone").startswith("331")  # logins are the in-process tests' part
                ftp.quit()
                break
            except ConnectionRefusedError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.3)
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
