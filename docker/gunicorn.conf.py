"""gunicorn settings for the web image (docker/Dockerfile: gunicorn -c docker/gunicorn.conf.py).

Every value can be overridden from the environment (PORT, FORWARDED_ALLOW_IPS, VISAGE_WEB_*,
VISAGE_LOG_LEVEL), read by the one configuration surface (visage/settings/surface.py, with the
defaults and why), so compose files and hosts tune it without rebuilding the image.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, whatever gunicorn's cwd

from visage.settings.surface import Surface  # noqa: E402

_surface = Surface("production")
bind = f"0.0.0.0:{_surface.server.port}"
workers = _surface.processes.web_workers
threads = _surface.processes.web_threads
worker_class = "gthread"
timeout = _surface.processes.web_timeout
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak (fragmented heap after big decodes) cannot grow for ever.
max_requests = _surface.processes.web_max_requests
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs: a container's overlay filesystem can stall them and get workers killed.
worker_tmp_dir = "/dev/shm"
forwarded_allow_ips = _surface.server.forwarded_allow_ips
accesslog = "-"
errorlog = "-"
# Access lines as JSON, like the application's logs in production (core/logging.py).
access_log_format = ('{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
                     '"status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "client": "%(h)s"}')
loglevel = _surface.logs.log_level.lower()
