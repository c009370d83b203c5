#!/usr/bin/env bash
# Serve Visage on the embedded default: a local Celery worker (filesystem broker unless
# REDIS_URL is set) plus the web server on 127.0.0.1:$PORT. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python
DJANGO_SETTINGS_MODULE=visage.settings.local .venv/bin/celery -A visage worker -Q ingest,gpu,cluster \
  --pool solo --loglevel INFO &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Visage: http://127.0.0.1:${PORT}/  (API docs: http://127.0.0.1:${PORT}/api/docs/)"
DJANGO_SETTINGS_MODULE=visage.settings.local "$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload
