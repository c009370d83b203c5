#!/usr/bin/env bash
# Serve Visage on the embedded default: Celery workers (filesystem broker unless REDIS_URL is
# set), the web server on 127.0.0.1:$PORT and the camera upload FTP server on 127.0.0.1:$VISAGE_FTP_PORT
# (default 2121). Ctrl-C, SIGTERM (to this script or its process
# group) and SIGHUP all stop both, and everything they started, within STOP_GRACE_S + a moment.
#
# Workers: one process per core (VISAGE_WORKERS), each with one torch thread: MTCNN and SFace
# are many small ops where threads mostly wait on each other, so processes scale and threads do
# not (recognition/ml/runtime.py). Prefetch 1: a wake is only a nudge, the batch comes from the
# database. -B runs the beat schedule (reconciler, retention) inside the worker.
set -uo pipefail  # no -e: the stop below must run to its end
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
# The configuration surface (visage/settings/surface.py) says what PORT, VISAGE_VAR_DIR and
# VISAGE_WORKERS mean here, as for every other process: one default each.
read -r PORT VAR WORKERS FTP_PORT < <("$VENV/bin/python" -m visage.settings.surface PORT VISAGE_VAR_DIR VISAGE_WORKERS VISAGE_FTP_PORT | tr '\n' ' ')
# Ingest work is leased in the database, so a worker killed after this grace loses nothing.
STOP_GRACE_S="${STOP_GRACE_S:-20}"
mkdir -p "$VAR"
# MALLOC_ARENA_MAX: the loader thread would otherwise get its own malloc arenas, which hold on to
# freed decode buffers (peak RSS per worker stays under 1.5 GB at 24 MP with 2).
export DJANGO_SETTINGS_MODULE=visage.settings.local OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 MALLOC_ARENA_MAX=2

# Each service leads its own session and process group (setsid): a signal sent to this script's group
# (a service manager, Ctrl-C) reaches only this script, which stops each service through its leader.
# Before, SIGTERM reached Celery's pool and beat processes directly and the master hung for ever.
setsid "$VENV/bin/celery" -A visage worker -Q ingest,gpu,cluster,webhooks --pool prefork --concurrency "$WORKERS" \
  --prefetch-multiplier 1 -B --schedule "$VAR/celerybeat-schedule" --loglevel INFO &
WORKER=$!
# Webhook deliveries and guests' new-photo notices (the webhooks queue) also get a worker of their own,
# without the face models: the engine's workers drain a burst in one long task each, so a notice
# queued behind them waited until the burst was over (scripts/bench_live.py, docs/sharing.md).
VISAGE_PRELOAD_MODELS=false setsid "$VENV/bin/celery" -A visage worker -Q webhooks -n "notices@%h" --pool prefork \
  --concurrency 1 --prefetch-multiplier 1 --loglevel INFO &
NOTICES=$!
setsid "$VENV/bin/python" manage.py runserver "127.0.0.1:${PORT}" --noreload &
WEB=$!
setsid "$VENV/bin/python" manage.py ftp_server --host 127.0.0.1 --port "$FTP_PORT" &
FTP=$!

stop() {
  trap '' INT TERM HUP
  kill -TERM "$WEB" "$WORKER" "$NOTICES" "$FTP" 2>/dev/null
  for _ in $(seq $((STOP_GRACE_S * 10))); do
    kill -0 -- "-$WORKER" 2>/dev/null || kill -0 -- "-$NOTICES" 2>/dev/null || kill -0 -- "-$WEB" 2>/dev/null \
      || kill -0 -- "-$FTP" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$WORKER" "-$NOTICES" "-$WEB" "-$FTP" 2>/dev/null
  wait
  exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'stop 129' HUP

echo "Visage: http://127.0.0.1:${PORT}/  (API docs: http://127.0.0.1:${PORT}/api/docs/)  camera FTP: 127.0.0.1:${FTP_PORT}"
# A trap interrupts `wait` at once (a foreground command would delay it until that command ended);
# when any service ends by itself, the others are stopped too.
wait -n
stop $?
