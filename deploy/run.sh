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
# SMS: real Twilio when TWILIO_ACCOUNT_SID is set in the environment; otherwise a fourth
# process, the local SMS sandbox speaking Twilio's API, and the other three are pointed at it.
SMS_SANDBOX_PORT=${SMS_SANDBOX_PORT:-8026}
SMS_SANDBOX=""
SMS_LINE="Twilio (TWILIO_ACCOUNT_SID is set)"
if [ -z "${TWILIO_ACCOUNT_SID:-}" ]; then
  SMS_SANDBOX="http://127.0.0.1:${SMS_SANDBOX_PORT}"
  SMS_LINE="sandbox, no real SMS: ${SMS_SANDBOX}/ (phones, replies, callbacks)"
  export TWILIO_ACCOUNT_SID=ACsandbox00000000000000000000000
  export TWILIO_AUTH_TOKEN=sandbox-auth-token
  export TWILIO_FROM=${TWILIO_FROM:-+15005550006}
  export TWILIO_MESSAGING_SERVICE_SID=""
  export TWILIO_API_URL="$SMS_SANDBOX"
fi

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

# WEB_PROCESSES=N: N uvicorn processes share the port (the kernel spreads connections); the Redis
# channel layer carries every event to the sockets of all of them.
.venv/bin/uvicorn backend.asgi:application --host "$HOST" --port "$PORT" --no-access-log \
  --workers "${WEB_PROCESSES:-1}" --ws websockets-sansio --ws-per-message-deflate false &
pids+=($!)
.venv/bin/celery -A backend worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}" \
  -n "erc-worker@%h" &
pids+=($!)
.venv/bin/celery -A backend beat --loglevel INFO --schedule var/celerybeat-schedule &
pids+=($!)
if [ -n "$SMS_SANDBOX" ]; then
  .venv/bin/python manage.py sms_sandbox --host 127.0.0.1 --port "$SMS_SANDBOX_PORT" &
  pids+=($!)
fi

cat <<MSG

  环境应急响应协同与演练管理系统 is running:  http://${HOST}:${PORT}/
  API docs: http://${HOST}:${PORT}/api/docs/    health: http://${HOST}:${PORT}/healthz
  Demo logins (password for all: Demo!2026):
    duty / liaison-fire / liaison-police / depot / trainer / evaluator / viewer / admin
  SMS: ${SMS_LINE}
  Ctrl-C stops the web server, the Celery worker, Celery beat${SMS_SANDBOX:+ and the SMS sandbox}.

MSG
# Return as soon as any of them exits; the EXIT trap stops the others.
wait -n "${pids[@]}"
