"""Issued information reports are records: the database refuses UPDATE and DELETE on them, so no
code path (admin, shell, a future bug) can rewrite what was reported. TRUNCATE (test flushes)
is not affected; a correction is a new 续报."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION incidents_report_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'an issued report is immutable (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incidents_report_immutable
    BEFORE UPDATE OR DELETE ON incidents_informationreport
    FOR EACH ROW EXECUTE FUNCTION incidents_report_immutable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS incidents_report_immutable ON incidents_informationreport;
DROP FUNCTION IF EXISTS incidents_report_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_legal_levels_reporting")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
