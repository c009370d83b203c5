#!/usr/bin/env bash
# Serve Visage on the embedded default: Celery workers (filesystem broker unless REDIS_URL is
# set) plus the web server on 127.0.0.1:$PORT. Ctrl-C stops both.
#
# Workers: one process per core (VISAGE_WORKERS), each with one torch thread: MTCNN and SFace
# are many small ops where threads mostly wait on each other, so processes scale and threads do
# not (recognition/ml/runtime.py). Prefetch 1: a wake is only a nudge, the batch comes from the
# database. -B runs the beat schedule (reconciler, retention) inside the worker.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python
WORKERS="${VISAGE_WORKERS:-$(nproc)}"
mkdir -p var
# MALLOC_ARENA_MAX: the loader thread would otherwise get its own malloc arenas, which hold on to
# freed decode buffers (peak RSS per worker stays under 1.5 GB at 24 MP with 2).
export DJANGO_SETTINGS_MODULE=visage.settings.local OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 MALLOC_ARENA_MAX=2
.venv/bin/celery -A visage worker -Q ingest,gpu,cluster,webhooks --pool prefork --concurrency "$WORKERS" \
  --prefetch-multiplier 1 -B --schedule var/celerybeat-schedule --loglevel INFO &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Visage: http://127.0.0.1:${PORT}/  (API docs: http://127.0.0.1:${PORT}/api/docs/)"
"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload
