"""What each role may do with the plans app's models (granted from PlansConfig.ready(), see
backend/directory/roles.py)."""

from backend.directory import roles

# every model a duty officer maintains (add/change/delete; approving a plan is a change).
MODELS = ["river", "riverfeature", "pollutant", "responseplan", "measure", "tasktemplate", "enterpriseplanfiling"]

GRANTS = {roles.DUTY_OFFICER: [f"plans.{verb}_{model}" for model in MODELS for verb in ("add", "change", "delete")]}
