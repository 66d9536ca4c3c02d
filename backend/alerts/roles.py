"""What each role may do with alerts (granted from AlertsConfig.ready(), see
backend/directory/roles.py)."""

from backend.directory import roles

# edit each department's escalation ladder (creating one is part of the edit)
GRANTS = {roles.DUTY_OFFICER: ["alerts.change_escalationpolicy"]}
