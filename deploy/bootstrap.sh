#!/usr/bin/env bash
# Set up everything the system needs on a Debian/Ubuntu machine, idempotently:
# system packages, PostgreSQL + PostGIS, Redis, the virtualenv, the database.
# Used by `make run` and `make test`; a second run only checks and returns quickly.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. System packages (only what is missing) -------------------------------------------
# PostGIS must match the PostgreSQL major version: the installed cluster's if there is one,
# else the distribution's default (Debian 12: 15, Ubuntu 22.04: 14, Ubuntu 24.04: 16).
pg_major() {
  local v
  v=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -z "$v" ]; then
    apt-cache show postgresql >/dev/null 2>&1 || as_root apt-get update -qq
    v=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -1)
  fi
  echo "${v:-15}"
}
# DATABASE_URL / REDIS_URL pointing elsewhere (another host, or another port here): that server
# is someone else's to run, so neither PostgreSQL nor Redis is installed or started for it.
# Only the client side is installed then: GeoDjango's GDAL/GEOS/PROJ (gdal-bin pulls them in, the
# right library versions per release) and the PostgreSQL client (pg_dump for `make backup`).
is_local() {  # is_local URL DEFAULT_PORT: a URL on this machine's default port (or no URL at all)
  [ -z "$1" ] && return 0
  python3 - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
local = u.hostname in (None, "", "127.0.0.1", "localhost", "::1") and (u.port or int(sys.argv[2])) == int(sys.argv[2])
sys.exit(0 if local else 1)
PY
}
LOCAL_PG=1; is_local "${DATABASE_URL:-}" 5432 || LOCAL_PG=0
LOCAL_REDIS=1; is_local "${REDIS_URL:-}" 6379 || LOCAL_REDIS=0
# Pango and a CJK font: WeasyPrint renders the Chinese PDF reports.
PACKAGES=(gettext python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk)
if [ "$LOCAL_PG" = 1 ]; then
  PG_MAJOR=$(pg_major)
  PACKAGES+=(postgresql "postgresql-${PG_MAJOR}-postgis-3")
else
  log "DATABASE_URL points elsewhere: no local PostgreSQL"
  PACKAGES+=(gdal-bin postgresql-client)
fi
if [ "$LOCAL_REDIS" = 1 ]; then
  PACKAGES+=(redis-server)
else
  log "REDIS_URL points elsewhere: no local Redis"
fi
[ "${ERC_WITH_BROWSER:-0}" = 1 ] && PACKAGES+=(chromium)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. PostgreSQL and Redis running (use the ones on 127.0.0.1 if they answer) ----------
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
if [ "$LOCAL_PG" = 1 ] && ! pg_up; then
  log "starting PostgreSQL"
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  [ -n "$version" ] || { echo "PostgreSQL is installed but has no cluster (pg_createcluster?)" >&2; exit 1; }
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 0.5; done
  pg_up || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
fi
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
if [ "$LOCAL_REDIS" = 1 ] && ! redis_up; then
  log "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/erc.log
  for _ in $(seq 1 30); do redis_up && break; sleep 0.2; done
  redis_up || { echo "Redis did not start on 127.0.0.1:6379" >&2; exit 1; }
fi

# --- 3. The default database role (only when DATABASE_URL is not given) ------------------
# A fresh Debian asks for a password on 127.0.0.1 (scram), so the project uses its own role
# with a password. It is a superuser because PostGIS is not a trusted extension and the test
# runner must create a database with it. Production brings its own DATABASE_URL.
if [ -z "${DATABASE_URL:-}" ]; then
  if ! PGPASSWORD=erc psql -h 127.0.0.1 -U erc -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    log "creating the database role erc"
    sql="DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='erc') THEN CREATE ROLE erc LOGIN SUPERUSER PASSWORD 'erc'; ELSE ALTER ROLE erc LOGIN SUPERUSER PASSWORD 'erc'; END IF; END\$\$;"
    if psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
      psql -q -h 127.0.0.1 -U postgres -d postgres -c "$sql"
    else
      as_root runuser -u postgres -- psql -q -d postgres -c "$sql"
    fi
  fi
fi

# --- 4. The virtualenv, from the pinned requirements -------------------------------------
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PY" -m venv .venv
fi
# Runtime (requirements.lock, all the image has) plus the test and lint tools (requirements-dev.lock).
stamp=.venv/.requirements.sha
want=$(cat requirements.lock requirements-dev.lock | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Python dependencies from requirements.lock and requirements-dev.lock"
  mkdir -p var
  # Quiet on success (the machine's pip config can print many harmless warnings); all on failure.
  if ! .venv/bin/python -m pip install -q --no-deps -r requirements.lock -r requirements-dev.lock > var/pip-install.log 2>&1; then
    cat var/pip-install.log >&2
    exit 1
  fi
  .venv/bin/python -m pip check
  echo "$want" > "$stamp"
fi

# --- 5. Translations -----------------------------------------------------------------------
if [ -n "$(find locale -name '*.po' -newer locale/.compiled 2>/dev/null)" ] || [ ! -f locale/.compiled ]; then
  log "compiling translations"
  .venv/bin/python manage.py compilemessages -v 0 --ignore=.venv
  touch locale/.compiled
fi
mkdir -p var/static var/media
log "ready"
