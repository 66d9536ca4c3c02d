"""Demo rivers of Xinzhou (approximate courses) and the contents of their plans.

Features: (kind, fraction of the course from the source, name, kind fields).
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
        # 繁峙 → 代县 → 原平 → 忻府 → 定襄 → 五台, then east into Hebei (平山, 岗南水库).
        "keypoints": [
            (113.95, 39.17),
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
            (113.27, 38.55),
            (113.45, 38.51),
            (113.65, 38.45),
            (113.85, 38.39),
            (113.99, 38.33),
        ],
        "features": [
            (RS, 0.06, "繁峙县义兴寨金矿尾矿库", risk("tailings_pond", "重大", "氰化物", "铅", "砷")),
            (SP, 0.12, "繁峙县滹沱河橡胶坝", space("dam", 300_000, 60, "塌坝蓄水", "投加活性炭")),
            (S, 0.20, "繁峙县下茹越断面", section("provincial", "III")),
            (RS, 0.27, "代县峨口铁矿尾矿库", risk("tailings_pond", "较大", "铁精矿", "选矿药剂")),
            (SP, 0.32, "代县峨口拦河闸", space("sluice", 500_000, 45, "关闸拦截", "投加石灰", "投加PAC/PAM")),
            (S, 0.38, "代县界河铺断面", section("provincial", "III")),
            (RS, 0.42, "原平市化工园区", risk("chemical_park", "较大", "硫酸", "氢氧化钠", "苯系物")),
            (SP, 0.44, "原平市大牛店大桥", space("bridge", None, 30, "布设围油栏", "吸油毡回收")),
            (R, 0.47, "原平市滹沱河地下水源地取水口", intake("county", "III")),
            (S, 0.50, "原平市南庄断面", section("national", "III")),
            (SP, 0.58, "忻府区滹沱河坑塘", space("pond", 200_000, 120, "导流入塘暂存")),
            (S, 0.62, "定襄县济胜桥断面", section("national", "III")),
            (RS, 0.64, "定襄县法兰锻造企业", risk("enterprise", "一般", "废矿物油", "酸洗废液")),
            (R, 0.67, "定襄县城取水口", intake("county", "II")),
            (SP, 0.80, "五台县东冶拦河坝", space("dam", 400_000, 90, "筑坝拦截", "投加石灰", "投加活性炭")),
            (S, 0.90, "五台县南坡断面", section("provincial", "III")),
            (R, 0.95, "滹沱河晋冀省界断面", boundary("province", "ext-hebei", "III")),
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
        "confluence_fraction": 0.595,  # below the 忻府 pond, above 定襄
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
            (RS, 0.45, "忻府区工业园区污水处理厂", risk("enterprise", "一般", "次氯酸钠", "PAC")),
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
        # Rises at 宁武 (管涔山), south through 静乐 towards 汾河水库 and 太原.
        "keypoints": [
            (112.00, 38.98),
            (112.05, 38.86),
            (112.00, 38.72),
            (111.97, 38.58),
            (111.94, 38.45),
            (111.93, 38.36),
            (111.97, 38.24),
            (112.02, 38.12),
        ],
        "features": [
            (S, 0.05, "汾河雷鸣寺断面", section("national", "II")),
            (RS, 0.15, "宁武县洗煤厂", risk("enterprise", "较大", "煤泥水", "柴油")),
            (SP, 0.22, "宁武县东寨拦河闸", space("sluice", 150_000, 45, "关闸拦截", "布设围油栏")),
            (RS, 0.40, "静乐县铁矿尾矿库", risk("tailings_pond", "重大", "选矿药剂", "重金属")),
            (SP, 0.46, "静乐县丰润橡胶坝", space("dam", 250_000, 60, "塌坝蓄水", "投加石灰")),
            (R, 0.52, "静乐县城取水口", intake("county", "II")),
            (S, 0.62, "静乐县河岔断面", section("provincial", "III")),
            (SP, 0.85, "汾河水库入库导流渠", space("diversion", 1_000_000, 180, "导流入备用库区")),
            (R, 0.96, "汾河忻太交界断面", boundary("prefecture", "ext-taiyuan", "III")),
        ],
    },
    {
        "code": "sanggan",
        "name": "桑干河",
        "name_en": "Sanggan River",
        "velocity_ms": 0.45,
        "flow_m3s": 6.0,
        "dispersion_m2s": 15.0,
        # Upper course (恢河) from 宁武 north into 朔州.
        "keypoints": [
            (112.18, 39.00),
            (112.24, 39.10),
            (112.33, 39.22),
            (112.40, 39.34),
            (112.50, 39.46),
            (112.60, 39.58),
            (112.70, 39.68),
        ],
        "features": [
            (RS, 0.15, "宁武县阳方口煤化工企业", risk("chemical_park", "较大", "焦油", "粗苯", "氨水")),
            (S, 0.20, "恢河阳方口断面", section("provincial", "III")),
            (SP, 0.25, "阳方口拦河坝", space("dam", 90_000, 50, "筑坝拦截", "投加活性炭")),
            (R, 0.30, "阳方口镇取水口", intake("township", "III")),
            (RS, 0.45, "宁武县铁矿尾矿库", risk("tailings_pond", "较大", "重金属")),
            (SP, 0.60, "恢河分洪渠", space("diversion", 300_000, 120, "导流暂存")),
            (S, 0.88, "桑干河忻朔交界断面", section("national", "III")),
            (R, 0.92, "桑干河忻朔交界", boundary("prefecture", "ext-shuozhou", "III")),
        ],
    },
    {
        "code": "yellow",
        "name": "黄河",
        "name_en": "Yellow River",
        "velocity_ms": 1.2,
        "flow_m3s": 800.0,
        "dispersion_m2s": 300.0,
        # The main stem along the western border: 偏关 (老牛湾) → 河曲 → 保德, flowing south.
        "keypoints": [
            (111.45, 39.68),
            (111.36, 39.56),
            (111.24, 39.46),
            (111.15, 39.38),
            (111.12, 39.25),
            (111.08, 39.12),
            (111.10, 39.02),
            (111.01, 38.90),
            (110.94, 38.78),
            (110.92, 38.65),
        ],
        "features": [
            (S, 0.08, "黄河万家寨断面", section("national", "II")),
            (RS, 0.15, "偏关县化工企业", risk("enterprise", "一般", "盐酸", "液碱")),
            (SP, 0.24, "黄河龙口水库", space("reservoir", 10_000_000, 45, "调度泄流", "布设围油栏")),
            (R, 0.35, "河曲县城取水口", intake("county", "II")),
            (RS, 0.38, "河曲县煤化工园区", risk("chemical_park", "较大", "甲醇", "焦油")),
            (S, 0.42, "黄河河曲断面", section("national", "III")),
            (SP, 0.55, "黄河天桥水电站", space("dam", 60_000_000, 60, "调度泄流", "坝前拦油")),
            (RS, 0.60, "保德县危险废物处置中心", risk("hazardous_waste", "较大", "废矿物油", "重金属污泥")),
            (R, 0.63, "保德县城取水口", intake("county", "II")),
            (S, 0.66, "黄河保德断面", section("national", "III")),
            (SP, 0.72, "保德黄河大桥", space("bridge", None, 90, "布设围油栏")),
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
    ("meteorology", "提供现场及流域降水、风向风速预报", 15, 60),
]

# The pollutant categories each plan prepares measures for at every emergency space.
SPACE_CATEGORIES = ["heavy_metal", "oil", "acid_alkali", "cyanide", "organic"]

_BY_CATEGORY = {
    "heavy_metal": "投加石灰调节pH至9左右，再投加PAC/PAM絮凝沉淀",
    "oil": "布设多道围油栏，吸油毡和收油机回收浮油",
    "acid_alkali": "酸性来水投加石灰/片碱中和，碱性来水投加稀酸中和，连续监测pH",
    "cyanide": "投加次氯酸钠或漂白粉碱性氯化破氰",
    "organic": "投加粉末活性炭吸附，延长停留时间",
}
_AT_SPACE = {
    "dam": "筑坝或塌坝蓄水拦截后，",
    "sluice": "关闸拦截后在闸前",
    "pond": "导流入坑塘暂存，在塘内",
    "reservoir": "调度水库下泄流量，在库尾",
    "bridge": "以桥墩为依托，",
    "diversion": "开启导流渠分流，在渠内",
}
MEASURES = {category: {kind: _AT_SPACE[kind] + text for kind in _AT_SPACE} for category, text in _BY_CATEGORY.items()}
