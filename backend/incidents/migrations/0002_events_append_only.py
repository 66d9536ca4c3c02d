"""The event log is append-only in the database, like inventory's movement ledger: a trigger
refuses UPDATE and DELETE on incidents_incidentevent, so no code path (admin, shell, a cascade,
a future bug) can rewrite history. TRUNCATE (test flushes) is not affected.

The actor is PROTECTed: a user who ever acted is deactivated, never deleted (SET_NULL would
have to UPDATE the log)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION incidents_incidentevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'incidents_incidentevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incidents_incidentevent_append_only
    BEFORE UPDATE OR DELETE ON incidents_incidentevent
    FOR EACH ROW EXECUTE FUNCTION incidents_incidentevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS incidents_incidentevent_append_only ON incidents_incidentevent;
DROP FUNCTION IF EXISTS incidents_incidentevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="incidentevent",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
