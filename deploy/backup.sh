#!/usr/bin/env bash
# make backup: one timestamped archive under var/backups/ (BACKUP_DIR) holding the database as a
# PostgreSQL custom-format dump (pg_dump -Fc: compressed, restorable table by table) and the
# uploaded media. Reads DATABASE_URL and MEDIA_ROOT like the application (defaults: make run's).
# Celery's queue and the channel layer (Redis) are not in it: they are transient by design.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-backend.settings.dev}
read -r PGURL MEDIA < <("$PY" deploy/dburl.py)
OUT_DIR=${BACKUP_DIR:-var/backups}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT_DIR"
pg_dump --format=custom --no-owner --no-privileges --file "$work/db.dump" "$PGURL"
if [ -d "$MEDIA" ]; then
  tar -C "$MEDIA" -czf "$work/media.tar.gz" .
else
  tar -czf "$work/media.tar.gz" --files-from /dev/null
fi
echo "$stamp" > "$work/STAMP"
file="$OUT_DIR/erc-$stamp.tar"
tar -C "$work" -cf "$file.partial" db.dump media.tar.gz STAMP
mv "$file.partial" "$file"  # never a half-written archive under the final name
echo "$file"
