"""python manage.py ftp_server: the camera upload server (FTP, and FTPS when a certificate is set)."""
import signal
import threading

from django.core.management.base import BaseCommand

from camera.conf import ftp_config
from camera.ftp.server import build_server


class Command(BaseCommand):
    help = "Serve camera upload over FTP/FTPS (VISAGE_FTP_* settings) until SIGTERM or Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", help="Listen address (default VISAGE_FTP_HOST).")
        parser.add_argument("--port", type=int, help="Listen port (default VISAGE_FTP_PORT; 0 = any free port).")

    def handle(self, *args, host=None, port=None, **options):
        config = ftp_config()
        server = build_server(config, host=host, port=port)
        stop = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, lambda *_: stop.set())
        address = server.socket.getsockname()
        self.stdout.write(f"Visage camera upload: ftp://{address[0]}:{address[1]}/ (TLS {config.tls_mode})", ending="\n")
        self.stdout.flush()
        server.serve_until(stop)
