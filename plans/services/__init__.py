"""The verbs of plans: the only code that writes rivers, features, pollutants, plans and filings."""

from .exchange import RiverImportError, export_rivers, import_rivers
from .filings import delete_filing, missing_or_expired_filings, save_filing
from .plans import (
    approve_plan,
    create_plan,
    delete_measure,
    delete_plan,
    delete_task_template,
    new_plan_version,
    save_measure,
    save_task_template,
    set_plan_contents,
    update_plan,
)
from .pollutants import delete_pollutant, save_pollutant, seed_pollutants
from .reaches import delete_reach, replace_reaches, save_reach
from .rivers import delete_feature, delete_river, save_feature, save_river
from .treatment import delete_treatment_measure, save_treatment_measure, seed_treatment

__all__ = [
    "RiverImportError",
    "export_rivers",
    "import_rivers",
    "approve_plan",
    "create_plan",
    "delete_feature",
    "delete_filing",
    "delete_measure",
    "delete_plan",
    "delete_pollutant",
    "delete_reach",
    "delete_river",
    "delete_task_template",
    "missing_or_expired_filings",
    "new_plan_version",
    "save_feature",
    "save_filing",
    "save_measure",
    "save_pollutant",
    "save_reach",
    "replace_reaches",
    "save_river",
    "save_task_template",
    "seed_pollutants",
    "seed_treatment",
    "save_treatment_measure",
    "delete_treatment_measure",
    "set_plan_contents",
    "update_plan",
]
