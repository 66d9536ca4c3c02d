"""Reference data: the pollutant catalogue with GB 3838-2002 surface-water limits (mg/L).

Source: GB 3838-2002《地表水环境质量标准》(国家环境保护总局、国家质量监督检验检疫总局, 2002-04-28):
Table 1 (basic items, classes I–V, all surface water; total phosphorus and total nitrogen with
their own lake and reservoir limits), Table 2 (supplementary items) and Table 3 (specific items)
for centralised drinking-water sources, whose single limits apply only at drinking-water intakes
(`source_limit_mg_l`). Table 1's water temperature, dissolved oxygen (a minimum, not a limit) and
faecal coliforms (counts per litre) are not substances a spill's mass can be traced for and are
left out; pH is judged through the acid and alkali entries, which carry no concentration limit.
See the README's section on the trace.

Seeded by `plans.services.seed_pollutants()` (demo load, test fixtures, and after every
migrate), never by a data migration: transactional tests flush tables (docs/operations.md, "Traps").

Decay: COD is held conservative (k = 0). The published first-order rates for COD (0.1–0.3/day)
lower the peak by only a few per cent over a trace's hours and the emergency answer should err
on the safe side; it also keeps the docs/domain.md worked example (6.44 mg/L) reproducible. NH3-N
keeps the 0.1/day nitrification rate it had; every other entry is conservative.
"""

from __future__ import annotations

HEAVY_METAL, METALLOID, CYANIDE, OIL = "heavy_metal", "metalloid", "cyanide", "oil"
ACID, ALKALI, VOLATILE_ORGANIC, OTHER_ORGANIC = "acid", "alkali", "volatile_organic", "other_organic"
NUTRIENT, OTHER = "nutrient", "other"
NONE5 = (None,) * 5

# code, name, English name, category, (limit I, II, III, IV, V) mg/L, decay k per day,
# drinking-water source limit (Tables 2/3) or None, lake and reservoir limits (I–V) or None
POLLUTANTS = [
    # --- Table 1 -----------------------------------------------------------------------------
    ("cod", "化学需氧量", "Chemical oxygen demand (COD)", OTHER_ORGANIC, (15, 15, 20, 30, 40), 0.0, None, None),
    ("bod5", "五日生化需氧量", "Biochemical oxygen demand (BOD5)", OTHER_ORGANIC, (3, 3, 4, 6, 10), 0.0, None, None),
    ("codmn", "高锰酸盐指数", "Permanganate index", OTHER_ORGANIC, (2, 4, 6, 10, 15), 0.0, None, None),
    ("nh3n", "氨氮", "Ammonia nitrogen (NH3-N)", NUTRIENT, (0.15, 0.5, 1.0, 1.5, 2.0), 0.1, None, None),
    ("tp", "总磷", "Total phosphorus", NUTRIENT, (0.02, 0.1, 0.2, 0.3, 0.4), 0.0, None, (0.01, 0.025, 0.05, 0.1, 0.2)),
    # Total nitrogen: Table 1 sets it for lakes and reservoirs only.
    ("tn", "总氮（湖、库）", "Total nitrogen (lakes)", NUTRIENT, NONE5, 0.0, None, (0.2, 0.5, 1.0, 1.5, 2.0)),
    ("cu", "铜", "Copper", HEAVY_METAL, (0.01, 1.0, 1.0, 1.0, 1.0), 0.0, None, None),
    ("zn", "锌", "Zinc", HEAVY_METAL, (0.05, 1.0, 1.0, 2.0, 2.0), 0.0, None, None),
    ("fluoride", "氟化物（以F⁻计）", "Fluoride (as F⁻)", OTHER, (1.0, 1.0, 1.0, 1.5, 1.5), 0.0, None, None),
    ("se", "硒", "Selenium", METALLOID, (0.01, 0.01, 0.01, 0.02, 0.02), 0.0, None, None),
    ("as", "砷", "Arsenic", METALLOID, (0.05, 0.05, 0.05, 0.1, 0.1), 0.0, None, None),
    ("hg", "汞", "Mercury", HEAVY_METAL, (0.00005, 0.00005, 0.0001, 0.001, 0.001), 0.0, None, None),
    ("cd", "镉", "Cadmium", HEAVY_METAL, (0.001, 0.005, 0.005, 0.005, 0.01), 0.0, None, None),
    ("cr6", "六价铬", "Hexavalent chromium", HEAVY_METAL, (0.01, 0.05, 0.05, 0.05, 0.1), 0.0, None, None),
    ("pb", "铅", "Lead", HEAVY_METAL, (0.01, 0.01, 0.05, 0.05, 0.1), 0.0, None, None),
    ("cyanide", "氰化物", "Cyanide", CYANIDE, (0.005, 0.05, 0.2, 0.2, 0.2), 0.0, None, None),
    # Volatile phenols are measured as phenol: a phenol spill is judged by this line.
    ("phenol", "苯酚（挥发酚）", "Phenol (volatile phenols)", VOLATILE_ORGANIC,
     (0.002, 0.002, 0.005, 0.01, 0.1), 0.0, None, None),
    ("petroleum", "石油类", "Petroleum", OIL, (0.05, 0.05, 0.05, 0.5, 1.0), 0.0, None, None),
    ("las", "阴离子表面活性剂", "Anionic surfactant", OTHER_ORGANIC, (0.2, 0.2, 0.2, 0.3, 0.3), 0.0, None, None),
    ("sulfide", "硫化物", "Sulfide", OTHER, (0.05, 0.1, 0.2, 0.5, 1.0), 0.0, None, None),
    # GB 3838 judges acids and alkalis by pH (6–9), not by a concentration limit.
    ("acid", "酸（硫酸、盐酸等）", "Acid (sulphuric, hydrochloric ...)", ACID, NONE5, 0.0, None, None),
    ("alkali", "碱（氢氧化钠等）", "Alkali (sodium hydroxide ...)", ALKALI, NONE5, 0.0, None, None),
    # --- Table 2 (drinking-water sources) ----------------------------------------------------
    ("sulfate", "硫酸盐（以SO₄²⁻计）", "Sulphate (as SO₄²⁻)", OTHER, NONE5, 0.0, 250, None),
    ("chloride", "氯化物（以Cl⁻计）", "Chloride (as Cl⁻)", OTHER, NONE5, 0.0, 250, None),
    ("nitrate", "硝酸盐（以N计）", "Nitrate (as N)", NUTRIENT, NONE5, 0.0, 10, None),
    ("fe", "铁", "Iron", HEAVY_METAL, NONE5, 0.0, 0.3, None),
    ("mn", "锰", "Manganese", HEAVY_METAL, NONE5, 0.0, 0.1, None),
    # --- Table 3 (drinking-water sources, specific items) ------------------------------------
    ("chloroform", "三氯甲烷", "Trichloromethane (chloroform)", VOLATILE_ORGANIC, NONE5, 0.0, 0.06, None),
    ("ccl4", "四氯化碳", "Carbon tetrachloride", VOLATILE_ORGANIC, NONE5, 0.0, 0.002, None),
    ("dcm", "二氯甲烷", "Dichloromethane", VOLATILE_ORGANIC, NONE5, 0.0, 0.02, None),
    ("dce12", "1,2-二氯乙烷", "1,2-Dichloroethane", VOLATILE_ORGANIC, NONE5, 0.0, 0.03, None),
    ("vinyl-chloride", "氯乙烯", "Vinyl chloride", VOLATILE_ORGANIC, NONE5, 0.0, 0.005, None),
    ("tce", "三氯乙烯", "Trichloroethylene", VOLATILE_ORGANIC, NONE5, 0.0, 0.07, None),
    ("pce", "四氯乙烯", "Tetrachloroethylene", VOLATILE_ORGANIC, NONE5, 0.0, 0.04, None),
    ("styrene", "苯乙烯", "Styrene", VOLATILE_ORGANIC, NONE5, 0.0, 0.02, None),
    ("formaldehyde", "甲醛", "Formaldehyde", VOLATILE_ORGANIC, NONE5, 0.0, 0.9, None),
    ("benzene", "苯", "Benzene", VOLATILE_ORGANIC, NONE5, 0.0, 0.01, None),
    ("toluene", "甲苯", "Toluene", VOLATILE_ORGANIC, NONE5, 0.0, 0.7, None),
    ("ethylbenzene", "乙苯", "Ethylbenzene", VOLATILE_ORGANIC, NONE5, 0.0, 0.3, None),
    ("xylene", "二甲苯", "Xylene", VOLATILE_ORGANIC, NONE5, 0.0, 0.5, None),
    ("chlorobenzene", "氯苯", "Chlorobenzene", VOLATILE_ORGANIC, NONE5, 0.0, 0.3, None),
    ("nitrobenzene", "硝基苯", "Nitrobenzene", OTHER_ORGANIC, NONE5, 0.0, 0.017, None),
    ("aniline", "苯胺", "Aniline", OTHER_ORGANIC, NONE5, 0.0, 0.1, None),
    ("acrylonitrile", "丙烯腈", "Acrylonitrile", VOLATILE_ORGANIC, NONE5, 0.0, 0.1, None),
    ("dcp24", "2,4-二氯苯酚", "2,4-Dichlorophenol", OTHER_ORGANIC, NONE5, 0.0, 0.093, None),
    ("pcp", "五氯酚", "Pentachlorophenol", OTHER_ORGANIC, NONE5, 0.0, 0.009, None),
    ("pyridine", "吡啶", "Pyridine", OTHER_ORGANIC, NONE5, 0.0, 0.2, None),
    ("butyl-xanthate", "丁基黄原酸", "Butyl xanthate", OTHER_ORGANIC, NONE5, 0.0, 0.005, None),
    ("hydrazine", "水合肼", "Hydrazine hydrate", OTHER, NONE5, 0.0, 0.01, None),
    ("active-chlorine", "活性氯", "Active chlorine", OTHER, NONE5, 0.0, 0.01, None),
    ("bap", "苯并(a)芘", "Benzo(a)pyrene", OTHER_ORGANIC, NONE5, 0.0, 2.8e-6, None),
    ("mo", "钼", "Molybdenum", HEAVY_METAL, NONE5, 0.0, 0.07, None),
    ("co", "钴", "Cobalt", HEAVY_METAL, NONE5, 0.0, 1.0, None),
    ("be", "铍", "Beryllium", HEAVY_METAL, NONE5, 0.0, 0.002, None),
    ("b", "硼", "Boron", METALLOID, NONE5, 0.0, 0.5, None),
    ("sb", "锑", "Antimony", METALLOID, NONE5, 0.0, 0.005, None),
    ("ni", "镍", "Nickel", HEAVY_METAL, NONE5, 0.0, 0.02, None),
    ("ba", "钡", "Barium", HEAVY_METAL, NONE5, 0.0, 0.7, None),
    ("v", "钒", "Vanadium", HEAVY_METAL, NONE5, 0.0, 0.05, None),
    ("ti", "钛", "Titanium", HEAVY_METAL, NONE5, 0.0, 0.1, None),
    ("tl", "铊", "Thallium", HEAVY_METAL, NONE5, 0.0, 0.0001, None),
]  # fmt: skip
