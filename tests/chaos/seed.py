"""Run in the suite's environment (a subprocess): create the database with PostGIS, migrate,
and seed what the scenarios need; prints one JSON line {"token": ..., "departments": [...]}.

Departments chaos-0..N each have on-duty contacts (a shift covering the next hours), so a task
given to one of them sends SMS to its contacts."""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.chaos.settings")

import django  # noqa: E402
import psycopg  # noqa: E402

DEPARTMENTS, PER_DEPARTMENT = 4, 5


def create_database() -> None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    with psycopg.connect(dbname=db["NAME"], autocommit=True, **params) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def seed() -> dict:
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from backend.directory import roles, services
    from backend.directory.models import Contact, Department, Shift

    roles.sync_roles()
    coordinator = Department.objects.create(code="environment", name="忻州市生态环境局", is_coordinator=True)
    duty = services.ensure_user(username="duty", password="pw-123456!", role=roles.DUTY_OFFICER, department=coordinator)
    now = timezone.now()
    codes, number = [], 13900000000
    for d in range(DEPARTMENTS):
        department = Department.objects.create(code=f"chaos-{d}", name=f"部门{d}", sort_order=d + 1)
        codes.append(department.code)
        for p in range(PER_DEPARTMENT):
            number += 1
            contact = Contact.objects.create(department=department, name=f"联系人{d}-{p}", mobile=f"+86{number}")
            Shift.objects.create(
                department=department, contact=contact, start=now - timedelta(hours=1), end=now + timedelta(hours=8)
            )
    return {"token": Token.objects.get_or_create(user=duty)[0].key, "departments": codes}


if __name__ == "__main__":
    django.setup()
    create_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(seed()))
