"""What each role may do with incidents (granted from IncidentsConfig.ready(), see
backend/directory/roles.py); object rules are in permissions.py."""

from backend.directory import roles

# open and command incidents
GRANTS = {roles.DUTY_OFFICER: ["incidents.add_incident", "incidents.change_incident", "incidents.change_task"]}
