"""gunicorn settings for the web image (docker/Dockerfile: gunicorn -c docker/gunicorn.conf.py).

Every value can be overridden from the environment, so compose files and hosts tune it without
rebuilding the image.
"""
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Selfie searches are CPU-bound (detect + embed, one torch thread each): one process per core,
# a few threads each for the I/O-bound rest (uploads spooling, downloads, pages).
workers = int(os.environ.get("VISAGE_WEB_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("VISAGE_WEB_THREADS", "4"))
worker_class = "gthread"
# Uploads of 300 MB over slow links take time; anything slower than this is stuck.
timeout = int(os.environ.get("VISAGE_WEB_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak (fragmented heap after big decodes) cannot grow for ever.
max_requests = int(os.environ.get("VISAGE_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs: a container's overlay filesystem can stall them and get workers killed.
worker_tmp_dir = "/dev/shm"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Access lines as JSON, like the application's logs in production (core/logging.py).
access_log_format = ('{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
                     '"status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "client": "%(h)s"}')
loglevel = os.environ.get("VISAGE_LOG_LEVEL", "info").lower()
