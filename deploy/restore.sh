#!/usr/bin/env bash
# make restore FILE=var/backups/erc-….tar: the database of DATABASE_URL is created from the
# archive's dump, and MEDIA_ROOT from its media. The database must be empty or absent (a restore
# never merges into live data); FORCE=1 drops and re-creates it first. Stop web, worker and beat
# before restoring over a database they use.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-backend.settings.dev}
FILE=${1:-${FILE:-}}
[ -n "$FILE" ] && [ -f "$FILE" ] || { echo "usage: make restore FILE=var/backups/erc-<stamp>.tar" >&2; exit 2; }
read -r PGURL MEDIA < <("$PY" deploy/dburl.py)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$FILE" db.dump media.tar.gz
"$PY" deploy/dburl.py --prepare ${FORCE:+--force}
# The dump creates its own extensions (PostGIS) and schema; one transaction: all or nothing.
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname "$PGURL" "$work/db.dump"
mkdir -p "$MEDIA"
tar -C "$MEDIA" -xzf "$work/media.tar.gz"
echo "restored $FILE into $(echo "$PGURL" | sed 's|//[^@]*@|//|') and $MEDIA"
