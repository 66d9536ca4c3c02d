"""The ledger is append-only: the database refuses UPDATE and DELETE on it, so no code path
(admin, shell, a future bug) can rewrite history. TRUNCATE (test flushes) is not affected."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION inventory_movement_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'inventory_movement is append-only (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER inventory_movement_append_only
    BEFORE UPDATE OR DELETE ON inventory_movement
    FOR EACH ROW EXECUTE FUNCTION inventory_movement_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS inventory_movement_append_only ON inventory_movement;
DROP FUNCTION IF EXISTS inventory_movement_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
