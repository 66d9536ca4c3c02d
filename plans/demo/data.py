"""Demo rivers of Xinzhou (approximate courses) and the contents of their plans.

Features: (kind, where, name, kind fields); `where` is the fraction of the course from the
source, or an explicit (lon, lat) (on a boundary river, to put it on the right bank).
A river has either `keypoints` (meandered between them) or its exact `coords`.
"""

from __future__ import annotations

S, R, SP, RS = "section", "receptor", "space", "risk_source"


def section(level: str, water_class: str) -> dict:
    return {"level": level, "water_class": water_class}


def intake(serves: str, water_class: str = "III") -> dict:
    return {"receptor_type": "drinking_water", "serves": serves, "water_class": water_class}


def boundary(between: str, jurisdiction: str, water_class: str = "III") -> dict:
    return {
        "receptor_type": "boundary",
        "boundary": between,
        "downstream_jurisdiction": jurisdiction,
        "water_class": water_class,
    }


def space(space_type: str, capacity_m3: float | None, setup_minutes: int, *measures: str) -> dict:
    return {
        "space_type": space_type,
        "capacity_m3": capacity_m3,
        "setup_minutes": setup_minutes,
        "possible_measures": list(measures),
    }


def risk(source_type: str, grade: str, *substances: str) -> dict:
    return {"source_type": source_type, "risk_grade": grade, "hazardous_substances": list(substances)}


RIVERS = [
    {
        "code": "hutuo",
        "name": "滹沱河",
        "name_en": "Hutuo River",
        "velocity_ms": 0.6,
        "flow_m3s": 22.0,
        "dispersion_m2s": 40.0,
        # 繁峙 → 代县 → 原平 → 忻府 → 定襄 → 五台, back through 定襄, then through 盂县 (阳泉)
        # into Hebei (平山, 岗南水库):
        # the 阳泉 line first (cross-prefecture), then the Shanxi–Hebei line (cross-province).
        "keypoints": [
            (113.90, 39.17),
            (113.62, 39.21),
            (113.27, 39.19),
            (113.10, 39.12),
            (112.96, 39.05),
            (112.85, 38.94),
            (112.73, 38.78),
            (112.70, 38.63),
            (112.78, 38.52),
            (112.95, 38.48),
            (113.10, 38.52),
            (113.20, 38.545),
            (113.28, 38.53),
            (113.31, 38.495),
            (113.265, 38.465),
            (113.33, 38.44),
            (113.42, 38.44),
            (113.50, 38.445),
            (113.56, 38.44),
            (113.65, 38.42),
            (113.85, 38.39),
            (113.99, 38.33),
        ],
        "features": [
            (RS, 0.06, "繁峙县义兴寨金矿尾矿库", risk("tailings_pond", "重大", "氰化物", "铅", "砷")),
            (SP, 0.12, "繁峙县滹沱河橡胶坝", space("dam", 300_000, 60, "塌坝蓄水", "投加活性炭")),
            (S, 0.20, "繁峙县下茹越断面", section("provincial", "III")),
            (RS, 0.27, "代县峨口铁矿尾矿库", risk("tailings_pond", "较大", "铁精矿", "选矿药剂")),
            (SP, 0.32, "代县峨口拦河闸", space("sluice", 500_000, 45, "关闸拦截", "投加石灰", "投加PAC/PAM")),
            (S, 0.34, "代县界河铺断面", section("provincial", "III")),
            (RS, 0.42, "原平市化工园区", risk("chemical_park", "较大", "硫酸", "氢氧化钠", "苯系物")),
            (SP, 0.44, "原平市大牛店大桥", space("bridge", None, 30, "布设围油栏", "吸油毡回收")),
            (R, 0.47, "原平市滹沱河地下水源地取水口", intake("county", "III")),
            (S, 0.49, "原平市南庄断面", section("national", "III")),
            (SP, 0.53, "忻府区滹沱河坑塘", space("pond", 200_000, 120, "导流入塘暂存")),
            (S, 0.59, "定襄县济胜桥断面", section("national", "III")),
            (RS, 0.61, "定襄县法兰锻造企业", risk("enterprise", "一般", "废矿物油", "酸洗废液")),
            (R, 0.64, "定襄县城取水口", intake("county", "II")),
            (SP, 0.70, "五台县东冶拦河坝", space("dam", 400_000, 90, "筑坝拦截", "投加石灰", "投加活性炭")),
            (S, 0.725, "五台县南坡断面", section("provincial", "III")),
            (R, 0.75, "滹沱河忻阳交界断面", boundary("prefecture", "ext-yangquan", "III")),
            (R, 0.84, "滹沱河晋冀省界断面", boundary("province", "ext-hebei", "III")),
        ],
    },
    {
        "code": "muma",
        "name": "牧马河",
        "name_en": "Muma River",
        "velocity_ms": 0.4,
        "flow_m3s": 3.0,
        "dispersion_m2s": 10.0,
        "outlet": "hutuo",
        "confluence_fraction": 0.555,  # below the 忻府 pond, above 定襄
        # Rises in the hills west of 忻府区, through the city's south, into 滹沱河.
        "keypoints": [
            (112.30, 38.33),
            (112.42, 38.37),
            (112.55, 38.40),
            (112.66, 38.41),
            (112.75, 38.45),
            (112.84, 38.49),
        ],
        "features": [
            (S, 0.25, "牧马河豆罗桥断面", section("provincial", "IV")),
            (
                RS,
                0.45,
                "忻府区工业园区污水处理厂",
                risk("enterprise", "一般", "旁路溢流污水（氨氮、总磷、COD）", "次氯酸钠", "PAC"),
            ),
            (SP, 0.55, "牧马河城区橡胶坝", space("dam", 120_000, 40, "塌坝蓄水", "投加活性炭")),
            (R, 0.62, "忻州市区地下水源地", intake("prefecture", "III")),
            (R, 0.72, "忻府区牧马河灌区取水口", {"receptor_type": "irrigation", "water_class": "V"}),
            (SP, 0.80, "牧马河东楼拦河闸", space("sluice", 80_000, 30, "关闸拦截", "投加石灰")),
            (S, 0.95, "牧马河入滹沱河口断面", section("provincial", "IV")),
        ],
    },
    {
        "code": "fen",
        "name": "汾河",
        "name_en": "Fen River",
        "velocity_ms": 0.5,
        "flow_m3s": 8.0,
        "dispersion_m2s": 20.0,
        # Rises at 宁武 (管涔山), south through 静乐 into 太原 (娄烦, 汾河水库).
        "keypoints": [
            (112.03, 38.92),
            (112.05, 38.86),
            (112.00, 38.72),
            (111.97, 38.58),
            (111.94, 38.45),
            (111.93, 38.36),
            (111.95, 38.24),
            (111.97, 38.14),
            (111.95, 38.05),
        ],
        "features": [
            (S, 0.05, "汾河雷鸣寺断面", section("national", "II")),
            (RS, 0.15, "宁武县洗煤厂", risk("enterprise", "较大", "煤泥水", "柴油")),
            (SP, 0.22, "宁武县东寨拦河闸", space("sluice", 150_000, 45, "关闸拦截", "布设围油栏")),
            (RS, 0.52, "静乐县铁矿尾矿库", risk("tailings_pond", "重大", "选矿药剂", "重金属")),
            (SP, 0.56, "静乐县丰润橡胶坝", space("dam", 250_000, 60, "塌坝蓄水", "投加石灰")),
            (R, 0.62, "静乐县城取水口", intake("county", "II")),
            (S, 0.68, "静乐县河岔断面", section("provincial", "III")),
            (SP, 0.92, "汾河水库入库导流渠", space("diversion", 1_000_000, 180, "导流入备用库区")),
            (R, 0.84, "汾河忻太交界断面", boundary("prefecture", "ext-taiyuan", "III")),
        ],
    },
    {
        "code": "sanggan",
        "name": "桑干河",
        "name_en": "Sanggan River",
        "velocity_ms": 0.45,
        "flow_m3s": 6.0,
        "dispersion_m2s": 15.0,
        # Upper course (恢河) from 宁武 (管涔山) past 宁武 town and 阳方口, north into 朔州 (朔城区).
        "keypoints": [
            (112.20, 38.90),
            (112.25, 38.96),
            (112.30, 39.01),
            (112.32, 39.06),
            (112.33, 39.10),
            (112.36, 39.17),
            (112.43, 39.30),
            (112.50, 39.40),
            (112.60, 39.52),
        ],
        "features": [
            (RS, 0.15, "宁武县阳方口煤化工企业", risk("chemical_park", "较大", "焦油", "粗苯", "氨水")),
            (S, 0.18, "恢河阳方口断面", section("provincial", "III")),
            (SP, 0.21, "阳方口拦河坝", space("dam", 90_000, 50, "筑坝拦截", "投加活性炭")),
            (R, 0.24, "阳方口镇取水口", intake("township", "III")),
            (RS, 0.08, "宁武县铁矿尾矿库", risk("tailings_pond", "较大", "重金属")),
            (SP, 0.60, "恢河分洪渠", space("diversion", 300_000, 120, "导流暂存")),
            (S, 0.34, "桑干河忻朔交界断面", section("national", "III")),
            (R, 0.36, "桑干河忻朔交界", boundary("prefecture", "ext-shuozhou", "III")),
        ],
    },
    {
        "code": "yellow",
        "name": "黄河",
        "name_en": "Yellow River",
        "velocity_ms": 1.2,
        "flow_m3s": 800.0,
        "dispersion_m2s": 300.0,
        # The main stem is the provincial boundary here: from 老牛湾 (偏关, where Shanxi, 呼和浩特 and
        # 鄂尔多斯 meet) south past 河曲 and 保德 to 兴县 (吕梁), Inner Mongolia then Shaanxi (榆林) on
        # the west bank. Its course IS the line between the provinces in the outlines
        # (backend/directory/data/areas.geojson, simplified to ~150 m), so a spill into it is
        # cross-province from the start. Features sit on the Shanxi bank of the county they name.
        "coords": [
            (111.4312, 39.6418),
            (111.4314, 39.6359),
            (111.4359, 39.6289),
            (111.4551, 39.6251),
            (111.4559, 39.6094),
            (111.4537, 39.6056),
            (111.4483, 39.605),
            (111.4389, 39.6172),
            (111.4328, 39.6202),
            (111.427, 39.6199),
            (111.4222, 39.6153),
            (111.4236, 39.6093),
            (111.434, 39.5954),
            (111.4281, 39.5787),
            (111.4263, 39.5606),
            (111.4153, 39.5379),
            (111.4271, 39.5222),
            (111.4246, 39.5076),
            (111.4164, 39.5005),
            (111.4043, 39.4992),
            (111.3818, 39.4909),
            (111.3653, 39.4778),
            (111.3574, 39.4661),
            (111.3573, 39.4452),
            (111.355, 39.4381),
            (111.3457, 39.4256),
            (111.3305, 39.4198),
            (111.3022, 39.4211),
            (111.2827, 39.4162),
            (111.2555, 39.4232),
            (111.2164, 39.4216),
            (111.2084, 39.425),
            (111.1868, 39.4194),
            (111.1678, 39.423),
            (111.1548, 39.4139),
            (111.1365, 39.4066),
            (111.1219, 39.3851),
            (111.113, 39.3761),
            (111.1135, 39.3688),
            (111.119, 39.3653),
            (111.1414, 39.3683),
            (111.1484, 39.3672),
            (111.1526, 39.3567),
            (111.1475, 39.3406),
            (111.1516, 39.3356),
            (111.1587, 39.3349),
            (111.1642, 39.3436),
            (111.1771, 39.3498),
            (111.1849, 39.3483),
            (111.1885, 39.3439),
            (111.1877, 39.3395),
            (111.1745, 39.3307),
            (111.1729, 39.3257),
            (111.1814, 39.3133),
            (111.1915, 39.3063),
            (111.2073, 39.3003),
            (111.2356, 39.3017),
            (111.2415, 39.2997),
            (111.2345, 39.2913),
            (111.2207, 39.2834),
            (111.2112, 39.2684),
            (111.207, 39.2536),
            (111.2125, 39.2447),
            (111.2108, 39.2364),
            (111.2066, 39.2298),
            (111.1975, 39.2237),
            (111.1989, 39.2187),
            (111.1895, 39.2088),
            (111.1811, 39.1891),
            (111.1682, 39.1737),
            (111.1571, 39.1531),
            (111.1568, 39.1491),
            (111.1653, 39.1417),
            (111.1676, 39.1342),
            (111.156, 39.1075),
            (111.139, 39.0972),
            (111.1392, 39.0789),
            (111.1318, 39.0633),
            (111.0824, 39.0261),
            (111.0608, 39.0215),
            (111.0319, 39.0192),
            (111.0218, 39.0153),
            (110.9922, 38.9978),
            (110.976, 38.9775),
            (110.9745, 38.9693),
            (110.9784, 38.9642),
            (110.9905, 38.9576),
            (110.9948, 38.9449),
            (111.0051, 38.9272),
            (111.0051, 38.9079),
            (111.0095, 38.8955),
            (111.0097, 38.8837),
            (111.0061, 38.8776),
            (110.9888, 38.8655),
            (110.99, 38.8614),
            (111.003, 38.8471),
            (111.0039, 38.8409),
            (110.9988, 38.8322),
            (110.9904, 38.8245),
            (110.9827, 38.8105),
            (110.9828, 38.8042),
            (110.9731, 38.7871),
            (110.9655, 38.7826),
            (110.9577, 38.7816),
            (110.9503, 38.7762),
            (110.9505, 38.7688),
            (110.9584, 38.7601),
            (110.959, 38.7552),
            (110.9318, 38.7183),
            (110.9152, 38.7094),
            (110.9071, 38.7003),
            (110.9046, 38.689),
            (110.9098, 38.677),
            (110.9096, 38.6709),
            (110.8906, 38.6574),
            (110.8801, 38.6327),
            (110.875, 38.6265),
            (110.8755, 38.6148),
            (110.8882, 38.6),
            (110.8908, 38.5879),
            (110.9044, 38.5825),
            (110.9141, 38.5817),
            (110.9126, 38.5718),
            (110.903, 38.5604),
            (110.9058, 38.541),
            (110.9018, 38.5207),
            (110.8972, 38.5162),
            (110.8911, 38.5146),
            (110.8746, 38.5161),
            (110.8644, 38.5085),
            (110.8689, 38.493),
            (110.8669, 38.4748),
            (110.8721, 38.4592),
            (110.8652, 38.4513),
            (110.8394, 38.4394),
            (110.8349, 38.4395),
            (110.8192, 38.4489),
            (110.8079, 38.452),
            (110.7909, 38.453),
            (110.7806, 38.4493),
            (110.7717, 38.4403),
            (110.7627, 38.411),
        ],  # fmt: skip
        "features": [
            (S, (111.4195, 39.5466), "黄河万家寨断面", section("national", "II")),
            (RS, (111.3641, 39.4517), "偏关县化工企业", risk("enterprise", "一般", "盐酸", "液碱")),
            (SP, (111.19, 39.41), "黄河龙口水库", space("reservoir", 10_000_000, 45, "调度泄流", "布设围油栏")),
            (R, (111.175, 39.331), "河曲县城取水口", intake("county", "II")),
            (RS, (111.2206, 39.301), "河曲县煤化工园区", risk("chemical_park", "较大", "甲醇", "焦油")),
            (S, (111.2087, 39.2508), "黄河河曲断面", section("national", "III")),
            (SP, (111.094, 39.0341), "黄河天桥水电站", space("dam", 60_000_000, 60, "调度泄流", "坝前拦油")),
            (
                RS,
                (110.9966, 38.9998),
                "保德县危险废物处置中心",
                risk("hazardous_waste", "较大", "废矿物油", "重金属污泥"),
            ),
            (R, (110.9931, 38.953), "保德县城取水口", intake("county", "II")),
            (S, (111.0105, 38.8936), "黄河保德断面", section("national", "III")),
            (SP, (110.9764, 38.7912), "保德黄河大桥", space("bridge", None, 90, "布设围油栏")),
            (S, (110.8774, 38.5158), "黄河兴县断面（吕梁）", section("national", "III")),
        ],
    },
]

# department code, task, ack target (min), completion target (min) — scored in drills.
DEPARTMENT_TASKS = [
    ("environment", "启动应急响应，组织应急监测，研判污染团到达时间并提出拦截处置方案", 10, 60),
    ("police", "封控事发现场及周边道路，控制肇事车辆和人员，维护现场秩序", 10, 45),
    ("fire", "切断泄漏源，堵漏、围堵、布设围油栏，开展初期处置", 10, 60),
    ("emergency", "协调应急救援队伍和物资，组织转移受威胁群众", 10, 90),
    ("transport", "实施交通管制，保障应急车辆和物资运输通道", 15, 60),
    ("water", "调度闸坝、关闸拦截或导流，通报下游取水单位", 10, 120),
    # The intake is closed before the front arrives, and people get water another way.
    ("water", "通知受威胁的饮用水水源地取水口停止取水，启用备用水源，组织应急供水（送水车、临时供水点）", 10, 60),
    ("meteorology", "提供现场及流域降水、风向风速预报", 15, 60),
]

# The pollutant categories each plan prepares measures for at every emergency space.
SPACE_CATEGORIES = ["heavy_metal", "oil", "acid_alkali", "cyanide", "organic", "nutrient"]

# Per category, the measures in order; the chemistry decides (one category, several cases):
# cadmium/lead precipitate as hydroxides at a raised pH, then settle with a coagulant;
# hexavalent chromium does not precipitate: it is reduced to Cr(III) first (ferrous sulphate or
# sodium metabisulphite), then precipitated as Cr(OH)3; arsenic co-precipitates with iron
# salts. Oil floats (booms, sorbents); phenol and benzene adsorb on activated carbon; a
# sewage plant bypass brings ammonia, phosphorus and organic load.
_BY_CATEGORY = {
    "heavy_metal": [
        "镉、铅等：投加石灰或液碱（片碱）将pH调至8.5～9，使其生成氢氧化物沉淀，再投加PAC/PAM絮凝沉降，出水回调pH至6～9",
        "六价铬：先投加硫酸亚铁或焦亚硫酸钠将六价铬还原为三价铬，再投加石灰/液碱调pH至8～9生成"
        "氢氧化铬沉淀，投加PAM助凝沉降",
        "砷：投加聚合硫酸铁或三氯化铁等铁盐混凝，使砷与氢氧化铁共沉淀，控制pH在7～8",
    ],
    "oil": ["布设多道围油栏，吸油毡和收油机回收浮油，回收物按危险废物处置"],
    "acid_alkali": ["酸性来水投加石灰/片碱中和，碱性来水投加稀酸中和，连续监测pH"],
    "cyanide": ["投加次氯酸钠或漂白粉碱性氯化破氰（pH保持在10以上）"],
    "organic": ["苯酚、苯系物等：投加粉末活性炭吸附（或设活性炭吸附坝），延长停留时间，活性炭回收处置"],
    "nutrient": [
        "污水处理厂旁路溢流等：截流旁路污水导入调节池或坑塘暂存，回送污水处理厂处理；投加PAC/聚合硫酸铁化学除磷，"
        "曝气增氧，监测氨氮、总磷和溶解氧"
    ],
}
_AT_SPACE = {
    "dam": "筑坝或塌坝蓄水拦截后，",
    "sluice": "关闸拦截后在闸前",
    "pond": "导流入坑塘暂存，在塘内",
    "reservoir": "调度水库下泄流量，在库尾",
    "bridge": "以桥墩为依托，",
    "diversion": "开启导流渠分流，在渠内",
}
# {category: {space type: [action, ...]}} (the order of the list is the measure's order).
MEASURES = {
    category: {kind: [_AT_SPACE[kind] + text for text in texts] for kind in _AT_SPACE}
    for category, texts in _BY_CATEGORY.items()
}
