"""Helper of backup.sh / restore.sh, in the application's settings (DATABASE_URL, MEDIA_ROOT).

Prints "<libpq URL> <MEDIA_ROOT>"; with --prepare, makes the database ready for a restore:
created if absent, refused if it holds tables (unless --force: dropped and created again)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.dev")

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from psycopg import sql  # noqa: E402

db = settings.DATABASES["default"]
params = {k: db.get(k.upper()) or None for k in ("host", "port", "user", "password")}


def libpq_url() -> str:
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    return f"postgresql://{auth}@{host}:{db.get('PORT') or 5432}/{quote(db['NAME'], safe='')}"


def prepare(force: bool) -> None:
    name = db["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(dbname=name, **params) as target:
                tables = target.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'"
                ).fetchone()[0]
            if tables and not force:
                sys.exit(f"database {name} holds {tables} tables: restore only into an empty one (or FORCE=1)")
            if tables or force:
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # An empty database may still carry PostGIS (ensure_database): the dump creates it itself.
    with psycopg.connect(dbname=name, autocommit=True, **params) as conn:
        conn.execute("DROP EXTENSION IF EXISTS postgis CASCADE")


if __name__ == "__main__":
    if "--prepare" in sys.argv:
        prepare(force="--force" in sys.argv)
    else:
        print(libpq_url(), settings.MEDIA_ROOT)
