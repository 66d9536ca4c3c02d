"""One rule for "does the trace threaten this receptor?".

Both the interception advice (plans.tracing) and the level suggestion
(backend/incidents/services/levels.py) ask it, so they cannot disagree. The answer carries its
basis, because the two questions use it differently: the advice acts on any threat, the level
counts a `predicted` one towards the suggested level and a `potential` one only towards the
potential level (a prediction without a known quantity is not grounds for level I).
"""

from __future__ import annotations

PREDICTED = "predicted"  # a known mass is predicted to exceed the receptor's limit
POTENTIAL = "potential"  # the plume reaches it, but the trace cannot say by how much

DRINKING_WATER = "drinking_water"


def threat_basis(entry: dict, *, receptor_type: str, with_mass: bool, pollutant_has_limit: bool) -> str | None:
    """`entry` is one downstream entry of the trace (kind, exceeds, ...); `receptor_type` is the
    feature's (drinking_water, boundary, ...). Returns PREDICTED, POTENTIAL or None."""
    if entry["kind"] != "receptor":
        return None
    if not pollutant_has_limit:
        # Acids and alkalis: GB 3838 judges pH 6–9, there is no concentration to exceed, so every
        # drinking-water intake they reach is threatened (and only as a potential, whatever the mass).
        return POTENTIAL if receptor_type == DRINKING_WATER else None
    if not with_mass:
        return POTENTIAL
    if entry.get("exceeds") is True:
        return PREDICTED
    if entry.get("exceeds") is None:
        # No limit at this receptor (no water class) or inside the near field (no peak given):
        # the trace cannot rule it out.
        return POTENTIAL
    return None
