"""Reference data: treatment measures per pollutant class, with the published source of each.

Seeded by `plans.services.seed_treatment()` after every migrate, creating only the measures that
are missing (by class, step and item): an administrator's edits in the admin are kept.

Doses are kg of reagent per m³ of water held at the space (`per_m3`), per kg of pollutant
(`per_kg`), or item units per interception space (`per_space`, equipment such as booms). They are
starting quantities for the proposal a duty officer confirms, not a treatment design: the field
team adjusts them by jar test. Where a stoichiometric figure is given, the factor over it is
written out.
"""

from __future__ import annotations

HANDBOOK = "《城市供水系统应急净水技术指导手册》, 住房和城乡建设部, 2009 (化学沉淀法、化学还原法、粉末活性炭吸附法)"
RESOURCES = "《环境应急资源调查指南（试行）》, 生态环境部, 2019 (物资分类)"
BOOM = RESOURCES + "; 工程估算：每处两道拦截，河宽 ≤ 100 m 时约 200 m"
FELT = RESOURCES + "; 工程估算：吸油毡吸油约为自重 10 倍，取 2 倍余量"

# category, pollutant code ("" for the whole class), step, measure, English, item code, basis,
# dose, kg per item unit, source
TREATMENT = [
    # Cadmium, lead and most heavy metals: raise the pH (weakly alkaline precipitation, pH 9–9.5),
    # then coagulate. Lime or caustic soda; lime is the cheaper and the more widely stocked.
    ("heavy_metal", "", 1, "投加生石灰调 pH 至 9～9.5（碱性沉淀）", "Quicklime to pH 9–9.5 (alkaline precipitation)",
     "quicklime", "per_m3", 0.03, 1000, HANDBOOK),
    ("heavy_metal", "", 2, "投加聚合氯化铝混凝沉淀", "Polyaluminium chloride coagulation",
     "pac", "per_m3", 0.03, 1000, HANDBOOK),
    # Chromium(VI) must be reduced to Cr(III) first, and only then precipitated.
    # FeSO4·7H2O: 3 mol per mol Cr(VI) = 16 kg/kg stoichiometric; 1.5× excess = 24 kg/kg.
    ("heavy_metal", "cr6", 0, "先投加硫酸亚铁将六价铬还原为三价铬", "Ferrous sulphate reduction of Cr(VI) first",
     "ferrous-sulfate", "per_kg", 24.0, 1000, HANDBOOK + "; 化学计量 3 Fe(II) : 1 Cr(VI)，1.5 倍过量"),
    # Arsenic (and antimony): iron-salt coagulation, the iron hydroxide floc adsorbs As(V).
    ("metalloid", "", 1, "铁盐混凝沉淀（预氧化后投加）", "Iron-salt coagulation (after pre-oxidation)",
     "ferrous-sulfate", "per_m3", 0.03, 1000, HANDBOOK),
    ("metalloid", "", 0, "次氯酸钠预氧化 As(III)→As(V)", "Sodium hypochlorite pre-oxidation As(III)→As(V)",
     "sodium-hypochlorite", "per_m3", 0.005, 1000, HANDBOOK),
    # Cyanide: alkaline chlorination; 2.73 kg Cl2 per kg CN⁻ to cyanate, ×2.5 to nitrogen and
    # excess ≈ 7 kg Cl2, i.e. ≈ 70 kg of 10 % sodium hypochlorite solution per kg CN⁻.
    ("cyanide", "", 1, "碱性氯化法：投加次氯酸钠破氰", "Alkaline chlorination with sodium hypochlorite",
     "sodium-hypochlorite", "per_kg", 70.0, 1000, HANDBOOK + "; 2.73 kg Cl₂/kg CN⁻（至氰酸盐）"),
    # Oil: booms to hold it, sorbents to take it up (felt takes 10–15 times its weight; ×2).
    ("oil", "", 1, "布设围油栏拦截", "Oil boom across the space", "oil-boom", "per_space", 200, 1, BOOM),
    ("oil", "", 2, "吸油毡吸附回收", "Absorbent felt", "absorbent-felt", "per_kg", 0.2, 1, FELT),
    # Organics such as phenol and benzene: powdered activated carbon, 20–40 mg/L.
    ("volatile_organic", "", 1, "投加粉末活性炭吸附", "Powdered activated carbon adsorption",
     "activated-carbon", "per_m3", 0.04, 1000, HANDBOOK),
    ("other_organic", "", 1, "投加粉末活性炭吸附", "Powdered activated carbon adsorption",
     "activated-carbon", "per_m3", 0.04, 1000, HANDBOOK),
    ("organic", "", 1, "投加粉末活性炭吸附", "Powdered activated carbon adsorption",
     "activated-carbon", "per_m3", 0.04, 1000, HANDBOOK),
    # Acid: neutralise with lime. CaO 56 g per 2 HCl (73 g) = 0.77 kg/kg (0.57 for H2SO4).
    ("acid", "", 1, "投加生石灰中和至 pH 6～9", "Quicklime neutralisation to pH 6–9",
     "quicklime", "per_kg", 0.8, 1000, HANDBOOK + "; 化学计量 CaO : 2 HCl"),
    ("acid_alkali", "", 1, "投加生石灰中和（酸）", "Quicklime neutralisation (acid)",
     "quicklime", "per_kg", 0.8, 1000, HANDBOOK + "; 化学计量 CaO : 2 HCl"),
    # Alkali: neutralise with acid. HCl 36.5 g per NaOH 40 g = 0.91 kg/kg as 100 %; ≈ 3 kg of 31 %.
    ("alkali", "", 1, "投加盐酸中和至 pH 6～9", "Hydrochloric acid neutralisation to pH 6–9",
     "hydrochloric-acid", "per_kg", 3.0, 1000, HANDBOOK + "; 化学计量 HCl : NaOH，31 % 工业盐酸"),
]  # fmt: skip
