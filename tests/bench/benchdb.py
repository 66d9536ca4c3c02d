"""Each benchmark's own database, never the dev or test one.

A script points the settings at its database before Django starts (`use_database`), then,
after `django.setup()`, re-creates it from scratch (`recreate`: dropped, created with PostGIS,
migrated), since a kept one could hold an older schema, and drops it at the end if it wants
(`drop`). BENCH_DATABASE_URL (else DATABASE_URL) gives the server and credentials.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgis://erc:erc@127.0.0.1:5432/erc"


def database_url(name: str) -> str:
    base = urlsplit(os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL)
    return urlunsplit(base._replace(path=f"/{name}"))


def use_database(name: str, settings_module: str = "backend.settings.test") -> None:
    """Call before django.setup(): the settings read DATABASE_URL once."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    os.environ["DATABASE_URL"] = database_url(name)


def _admin_connection(dbname: str):
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"), "password": db.get("PASSWORD")}
    return psycopg.connect(dbname=dbname, autocommit=True, **{k: v for k, v in params.items() if v})


def recreate() -> None:
    from django.conf import settings
    from django.core.management import call_command

    name = settings.DATABASES["default"]["NAME"]
    with _admin_connection("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    with _admin_connection(name) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    call_command("migrate", verbosity=0, interactive=False)


def drop() -> None:
    from django.conf import settings
    from django.db import connection

    connection.close()
    with _admin_connection("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{settings.DATABASES["default"]["NAME"]}" WITH (FORCE)')
