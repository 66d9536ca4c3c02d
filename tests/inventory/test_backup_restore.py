"""make backup / make restore (deploy/backup.sh, deploy/restore.sh): a backup restored into an
empty database has the same rows in every table, a consistent ledger (verify_ledger) and the
same event log; the media come back too; a database holding data is never restored over."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection

from backend.incidents import services as incidents
from inventory import services
from tests.support.servers import ROOT, database_url, process_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]


def run(script: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", f"deploy/{script}", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def snapshot(dbname: str) -> tuple[dict, list]:
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname=dbname, **params) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
        log = conn.execute(
            "SELECT incident_id, seq, event_type, data::text FROM incidents_incidentevent ORDER BY incident_id, seq"
        ).fetchall()
    return counts, log


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_ledger_and_event_log(
    tmp_path, depots, items, stock, duty_officer
):
    stock(depots["XZ-CITY-01"], items["sandbag"], 40, lot="B-1", days=None)
    services.request_dispatch(depot=depots["XZ-CITY-01"], item=items["sandbag"], quantity=15)
    incident = incidents.open_incident(title="备份演练：泄漏", kind="other", location=Point(112.7, 38.4, srid=4326))
    for i in range(3):
        incidents.add_note(incident, f"现场记录 {i}", actor=duty_officer)
    media = tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "sitrep.pdf").write_bytes(b"%PDF-1.7 sitrep")
    source_name = settings.DATABASES["default"]["NAME"]
    before = snapshot(source_name)
    assert before[0]["incidents_incidentevent"] >= 4 and before[0]["inventory_movement"] >= 1

    backups = tmp_path / "backups"
    env = process_env(MEDIA_ROOT=str(media), BACKUP_DIR=str(backups))
    made = run("backup.sh", env)
    assert made.returncode == 0, made.stderr
    archive = Path(made.stdout.strip().splitlines()[-1])
    assert archive.parent == backups and archive.name.startswith("erc-") and archive.suffix == ".tar"
    assert set(tarfile.open(archive).getnames()) == {"db.dump", "media.tar.gz", "STAMP"}

    target_name = f"{source_name}_restored"
    target_url = database_url().rsplit("/", 1)[0] + f"/{target_name}"
    restored_media = tmp_path / "restored-media"
    target_env = process_env(DATABASE_URL=target_url, MEDIA_ROOT=str(restored_media))
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
    try:
        restored = run("restore.sh", target_env, str(archive))
        assert restored.returncode == 0, restored.stderr
        after = snapshot(target_name)
        assert after[0] == before[0]  # every table, same row count
        assert after[1] == before[1]  # the event log, seq by seq
        ledger = subprocess.run([sys.executable, "manage.py", "verify_ledger"], cwd=ROOT,
                                env=target_env, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert ledger.returncode == 0 and "consistent" in ledger.stdout, ledger.stdout + ledger.stderr
        assert (restored_media / "reports" / "sitrep.pdf").read_bytes() == b"%PDF-1.7 sitrep"

        again = run("restore.sh", target_env, str(archive))  # the target now holds data
        assert again.returncode != 0 and "empty" in again.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
