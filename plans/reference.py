"""Reference data: the pollutant catalogue with GB 3838-2002 surface-water limits (mg/L).

Seeded by `plans.services.seed_pollutants()` (demo load, test fixtures, and after every
migrate), never by a data migration: transactional tests flush tables (docs/operations.md, "Traps").

Decay: COD is held conservative (k = 0). The published first-order rates for COD (0.1–0.3/day)
lower the peak by only a few per cent over a trace's hours and the emergency answer should err
on the safe side; it also keeps the docs/domain.md worked example (6.44 mg/L) reproducible.
"""

from __future__ import annotations

HEAVY_METAL, OIL, ORGANIC, NUTRIENT, ACID_ALKALI, CYANIDE = (
    "heavy_metal",
    "oil",
    "organic",
    "nutrient",
    "acid_alkali",
    "cyanide",
)

# code, name, English name, category, (limit I, II, III, IV, V) mg/L, decay k per day
POLLUTANTS = [
    ("cod", "化学需氧量", "Chemical oxygen demand (COD)", ORGANIC, (15, 15, 20, 30, 40), 0.0),
    ("nh3n", "氨氮", "Ammonia nitrogen (NH3-N)", NUTRIENT, (0.15, 0.5, 1.0, 1.5, 2.0), 0.1),
    ("tp", "总磷", "Total phosphorus", NUTRIENT, (0.02, 0.1, 0.2, 0.3, 0.4), 0.0),
    ("codmn", "高锰酸盐指数", "Permanganate index", ORGANIC, (2, 4, 6, 10, 15), 0.0),
    ("cr6", "六价铬", "Hexavalent chromium", HEAVY_METAL, (0.01, 0.05, 0.05, 0.05, 0.1), 0.0),
    ("petroleum", "石油类", "Petroleum", OIL, (0.05, 0.05, 0.05, 0.5, 1.0), 0.0),
    ("cyanide", "氰化物", "Cyanide", CYANIDE, (0.005, 0.05, 0.2, 0.2, 0.2), 0.0),
    ("hg", "汞", "Mercury", HEAVY_METAL, (0.00005, 0.00005, 0.0001, 0.001, 0.001), 0.0),
    ("cd", "镉", "Cadmium", HEAVY_METAL, (0.001, 0.005, 0.005, 0.005, 0.01), 0.0),
    ("pb", "铅", "Lead", HEAVY_METAL, (0.01, 0.01, 0.05, 0.05, 0.1), 0.0),
    ("as", "砷", "Arsenic", HEAVY_METAL, (0.05, 0.05, 0.05, 0.1, 0.1), 0.0),
    # GB 3838 judges acids and alkalis by pH (6–9), not by a concentration limit.
    ("acid", "酸（硫酸、盐酸等）", "Acid (sulphuric, hydrochloric ...)", ACID_ALKALI, (None,) * 5, 0.0),
    ("alkali", "碱（氢氧化钠等）", "Alkali (sodium hydroxide ...)", ACID_ALKALI, (None,) * 5, 0.0),
]
