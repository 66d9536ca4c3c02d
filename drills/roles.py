"""What each role may do with drills (granted from DrillsConfig.ready(), see
backend/directory/roles.py); only a drill's own trainer controls it (permissions.py)."""

from backend.directory import roles


def _crud(model, verbs=("add", "change", "delete")):
    return [f"drills.{verb}_{model}" for verb in verbs]


GRANTS = {
    # plan and control drills
    roles.TRAINER: [*_crud("drill"), *_crud("inject"), *_crud("observation"), *_crud("improvementitem")],
    # rate the tasks of the drills they are assigned to, write observations
    roles.EVALUATOR: [*_crud("evaluation", ("add", "change")), "drills.add_observation"],
}
