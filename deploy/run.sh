#!/usr/bin/env bash
# Start the three processes of the system in the foreground: the ASGI server (HTTP and
# WebSockets), a Celery worker and Celery beat. Ctrl-C (SIGINT to the process group) or
# SIGTERM stops all three; if one dies, the others are stopped too, so the operator notices.
set -uo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-backend.settings.dev}
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}
mkdir -p var
# The environment (DATABASE_URL, TWILIO_*, PUBLIC_BASE_URL, ...) is inherited by all three.
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:${PORT}}

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "[run] stopping..."
  kill -TERM "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
  echo "[run] stopped"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop' EXIT

.venv/bin/uvicorn backend.asgi:application --host "$HOST" --port "$PORT" --no-access-log \
  --ws websockets --ws-per-message-deflate false &
pids+=($!)
.venv/bin/celery -A backend worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}" \
  -n "erc-worker@%h" &
pids+=($!)
.venv/bin/celery -A backend beat --loglevel INFO --schedule var/celerybeat-schedule &
pids+=($!)

cat <<MSG

  环境应急响应协同与演练管理系统 is running:  http://${HOST}:${PORT}/
  API docs: http://${HOST}:${PORT}/api/docs/    health: http://${HOST}:${PORT}/healthz
  Demo logins (password for all: Demo!2026):
    duty / liaison-fire / liaison-police / depot / trainer / evaluator / viewer / admin
  Ctrl-C stops the web server, the Celery worker and Celery beat.

MSG
# Return as soon as any of the three exits; the EXIT trap stops the others.
wait -n "${pids[@]}"
