"""Demo data for inventory: a realistic catalogue, the city depot in 忻府区, county depots along
the rivers, two enterprise depots, stock (some lots near expiry, one item below minimum).

Idempotent: catalogue and depots by code; stock is received only into lots that do not exist
yet, so running it twice does not double the stock. Dates are relative to today so the
near-expiry lots stay near expiry whenever the demo is loaded.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.directory import demo as directory_demo
from backend.directory import services as directory_services
from backend.directory.models import Contact, Department

from . import services
from .models import Depot, Item, Lot

C = Item.Category
# code, name, English name, category, unit, shelf life (days) or None, consumable
CATALOGUE = [
    ("sandbag", "编织袋（沙袋）", "Sandbag (woven bag)", C.SOURCE_CUTOFF, "条", None, True),
    ("plug-kit", "堵漏工具组", "Leak plugging kit", C.SOURCE_CUTOFF, "套", None, False),
    ("pipe-plug", "管道封堵气囊", "Inflatable pipe plug", C.SOURCE_CUTOFF, "个", None, False),
    ("oil-boom", "围油栏（固体浮子式）", "Oil boom (solid float)", C.CONTAINMENT, "米", None, False),
    ("absorbent-boom", "吸油拦截索", "Absorbent boom", C.CONTAINMENT, "米", 1825, True),
    ("cofferdam", "应急围堰袋", "Emergency cofferdam bag", C.CONTAINMENT, "个", None, True),
    ("absorbent-felt", "吸油毡", "Oil absorbent felt", C.COLLECTION, "千克", 1825, True),
    ("pump", "防爆潜水泵", "Explosion-proof submersible pump", C.COLLECTION, "台", None, False),
    ("skimmer", "收油机", "Oil skimmer", C.COLLECTION, "台", None, False),
    ("portable-tank", "便携式储液罐（10 m³）", "Portable storage tank (10 m³)", C.COLLECTION, "个", None, False),
    ("quicklime", "生石灰", "Quicklime", C.TREATMENT, "吨", 365, True),
    ("activated-carbon", "活性炭（粉末）", "Powdered activated carbon", C.TREATMENT, "吨", 1095, True),
    ("pac", "聚合氯化铝（PAC）", "Polyaluminium chloride (PAC)", C.TREATMENT, "吨", 730, True),
    ("pam", "聚丙烯酰胺（PAM）", "Polyacrylamide (PAM)", C.TREATMENT, "吨", 730, True),
    ("naoh", "氢氧化钠（片碱）", "Sodium hydroxide (flakes)", C.TREATMENT, "吨", 730, True),
    ("ferrous-sulfate", "硫酸亚铁", "Ferrous sulfate", C.TREATMENT, "吨", 365, True),
    ("sodium-hypochlorite", "次氯酸钠溶液", "Sodium hypochlorite solution", C.TREATMENT, "吨", 180, True),
    ("protective-suit", "防化服（二级）", "Chemical protective suit (level B)", C.PROTECTION, "套", 1825, True),
    ("gas-mask", "全面罩防毒面具", "Full-face gas mask", C.PROTECTION, "个", None, False),
    ("mask-filter", "防毒面具滤毒罐", "Gas mask filter canister", C.PROTECTION, "个", 1095, True),
    ("scba", "正压式空气呼吸器", "Self-contained breathing apparatus", C.PROTECTION, "套", None, False),
    ("satellite-phone", "卫星电话", "Satellite phone", C.COMMUNICATION, "部", None, False),
    ("radio", "防爆对讲机", "Explosion-proof radio", C.COMMUNICATION, "部", None, False),
    ("drone", "无人机（航测）", "Survey drone", C.COMMUNICATION, "架", None, False),
    (
        "water-analyser",
        "便携式多参数水质分析仪",
        "Portable multi-parameter water analyser",
        C.MONITORING,
        "台",
        None,
        False,
    ),
    ("heavy-metal-analyser", "便携式重金属分析仪", "Portable heavy metal analyser", C.MONITORING, "台", None, False),
    ("gas-detector", "便携式有毒气体检测仪", "Portable toxic gas detector", C.MONITORING, "台", None, False),
    ("test-kit", "水质快速检测试剂盒", "Water quality rapid test kit", C.MONITORING, "盒", 365, True),
]

# The English unit of each Chinese unit the catalogue uses (Item.unit_en).
UNIT_EN = {
    "个": "piece", "千克": "kg", "台": "unit", "吨": "t", "套": "set",
    "条": "bag", "架": "unit", "盒": "box", "米": "m", "部": "handset",
}  # fmt: skip

L = Depot.Level
# code, name, level, owner department code, address, lon, lat, 24h
DEPOTS = [
    ("XZ-CITY-01", "忻州市环境应急物资储备库", L.CITY, "environment", "忻府区和平街", 112.734, 38.416, True),
    ("XZ-YP-01", "原平市环境应急物资储备库", L.COUNTY, "gov-yuanping", "原平市滹沱河南岸", 112.711, 38.731, False),
    ("XZ-DAI-01", "代县环境应急物资储备库", L.COUNTY, None, "代县上馆镇", 112.960, 39.066, False),
    ("XZ-NW-01", "宁武县环境应急物资储备库", L.COUNTY, "gov-ningwu", "宁武县凤凰镇（汾河源）", 112.304, 39.001, False),
    ("XZ-HQ-01", "河曲县环境应急物资储备库", L.COUNTY, None, "河曲县文笔镇（黄河沿岸）", 111.146, 39.384, False),
    ("XZ-DXG-01", "定襄县环境应急物资储备库", L.COUNTY, "gov-dingxiang", "定襄县晋昌镇", 112.957, 38.473, False),
    ("ENT-YP-CHEM-01", "原平某化工企业应急物资库", L.ENTERPRISE, None, "原平经济技术开发区", 112.690, 38.700, True),
    ("ENT-NW-MINE-01", "宁武某煤矿尾矿库应急物资库", L.ENTERPRISE, None, "宁武县东寨镇", 112.250, 38.900, True),
]

# depot, item, quantity, lot, expires in days (None: no expiry)
STOCK = [
    ("XZ-CITY-01", "sandbag", 5000, "SB-2025-01", None),
    ("XZ-CITY-01", "oil-boom", 1200, "OB-2024-03", None),
    ("XZ-CITY-01", "absorbent-felt", 800, "AF-2025-02", 900),
    ("XZ-CITY-01", "quicklime", 20, "QL-2025-11", 300),
    ("XZ-CITY-01", "quicklime", 6, "QL-2024-12", 12),  # near expiry
    ("XZ-CITY-01", "activated-carbon", 8, "AC-2025-05", 800),
    ("XZ-CITY-01", "pac", 10, "PAC-2025-06", 500),
    ("XZ-CITY-01", "pac", 3, "PAC-2024-12", 20),  # near expiry
    ("XZ-CITY-01", "pam", 2, "PAM-2025-01", 400),
    ("XZ-CITY-01", "naoh", 5, "NAOH-2025-03", 600),
    ("XZ-CITY-01", "pump", 12, "PUMP-2023", None),
    ("XZ-CITY-01", "portable-tank", 6, "TANK-2023", None),
    ("XZ-CITY-01", "protective-suit", 60, "PS-2024-08", 1200),
    ("XZ-CITY-01", "gas-mask", 80, "GM-2023", None),
    ("XZ-CITY-01", "mask-filter", 150, "MF-2024-01", 25),  # near expiry
    ("XZ-CITY-01", "water-analyser", 4, "WA-2022", None),
    ("XZ-CITY-01", "satellite-phone", 3, "SAT-2023", None),
    ("XZ-YP-01", "sandbag", 3000, "SB-2025-02", None),
    ("XZ-YP-01", "oil-boom", 600, "OB-2024-05", None),
    ("XZ-YP-01", "absorbent-felt", 300, "AF-2024-09", 700),
    ("XZ-YP-01", "quicklime", 12, "QL-2025-08", 200),
    ("XZ-YP-01", "pump", 4, "PUMP-2024", None),
    ("XZ-DAI-01", "sandbag", 2000, "SB-2024-10", None),
    ("XZ-DAI-01", "oil-boom", 400, "OB-2023-11", None),
    ("XZ-DAI-01", "activated-carbon", 3, "AC-2024-10", 25),  # near expiry
    ("XZ-DAI-01", "gas-mask", 20, "GM-2024", None),
    ("XZ-NW-01", "sandbag", 2500, "SB-2025-03", None),
    ("XZ-NW-01", "absorbent-boom", 500, "ABM-2024-06", 1000),
    ("XZ-NW-01", "pac", 4, "PAC-2025-02", 450),
    ("XZ-NW-01", "water-analyser", 1, "WA-2024", None),
    ("XZ-HQ-01", "oil-boom", 1000, "OB-2025-04", None),
    ("XZ-HQ-01", "absorbent-felt", 500, "AF-2025-04", 1500),
    ("XZ-HQ-01", "skimmer", 2, "SK-2024", None),
    ("XZ-DXG-01", "sandbag", 1500, "SB-2025-04", None),
    ("XZ-DXG-01", "quicklime", 8, "QL-2025-09", 250),
    ("XZ-DXG-01", "test-kit", 30, "TK-2025-01", 15),  # near expiry
    ("ENT-YP-CHEM-01", "naoh", 10, "NAOH-ENT-2025", 500),
    ("ENT-YP-CHEM-01", "protective-suit", 20, "PS-ENT-2025", 1500),
    ("ENT-YP-CHEM-01", "gas-detector", 3, "GD-ENT", None),
    ("ENT-NW-MINE-01", "sandbag", 4000, "SB-ENT-2024", None),
    ("ENT-NW-MINE-01", "ferrous-sulfate", 15, "FS-ENT-2025", 200),
    ("ENT-NW-MINE-01", "heavy-metal-analyser", 1, "HM-ENT", None),
]

# depot, item, minimum: the city depot holds less PAM than it should (a low-stock alert).
MINIMUMS = [
    ("XZ-CITY-01", "sandbag", 3000),
    ("XZ-CITY-01", "pac", 5),
    ("XZ-CITY-01", "pam", 5),
    ("XZ-CITY-01", "quicklime", 10),
    ("XZ-YP-01", "sandbag", 2000),
    ("XZ-DAI-01", "oil-boom", 300),
    ("XZ-NW-01", "absorbent-boom", 300),
    ("XZ-HQ-01", "oil-boom", 800),
]


def load(stdout=None) -> None:
    items = {}
    for code, name, name_en, category, unit, shelf_life, consumable in CATALOGUE:
        existing = Item.objects.filter(code=code).first()
        fields = {
            "code": code,
            "name": name,
            "name_en": name_en,
            "category": category,
            "unit": unit,
            "unit_en": UNIT_EN[unit],
            "shelf_life_days": shelf_life,
            "consumable": consumable,
        }
        items[code] = services.save_item(item=existing, **fields)
    departments = {d.code: d for d in Department.objects.all()}
    depots = {}
    for code, name, level, owner, address, lon, lat, is_24h in DEPOTS:
        existing = Depot.objects.filter(code=code).first()
        fields = {
            "code": code,
            "name": name,
            "level": level,
            "department": departments.get(owner) if owner else None,
            "address": address,
            "location": Point(lon, lat, srid=4326),
            "is_24h": is_24h,
            "opening_hours": "" if is_24h else "08:00–18:00（节假日值班电话）",
        }
        depots[code] = services.save_depot(depot=existing, **fields)
    _bind_city_depot(depots["XZ-CITY-01"])
    today = timezone.localdate()
    for depot, item, quantity, lot, days in STOCK:
        if Lot.objects.filter(depot=depots[depot], item=items[item], code=lot).exists():
            continue
        services.receive(
            depot=depots[depot],
            item=items[item],
            quantity=quantity,
            lot=lot,
            expires_on=None if days is None else today + timedelta(days=days),
            received_on=today - timedelta(days=90),
            reason="demo",
        )
    for depot, item, minimum in MINIMUMS:
        services.set_minimum(depot=depots[depot], item=items[item], minimum=minimum)
    if stdout:
        stdout.write(f"inventory: {len(items)} items, {len(depots)} depots, {Lot.objects.count()} lots")


def _bind_city_depot(depot: Depot) -> None:
    """The demo depot manager ("depot", created by the directory demo) runs the city depot and
    is its manager contact, so the daily stock digest has someone to reach."""
    user = get_user_model().objects.filter(username="depot").first()
    if user is None:
        return
    services.bind_manager(depot, user)
    contact = Contact.objects.filter(user=user).first()
    owner = depot.department or Department.objects.filter(code="environment").first()
    if contact is None and owner is not None:
        contact = directory_services.save_contact(
            department=owner,
            name="周建华",
            title="市级环境应急物资储备库",
            duty_role="仓库管理员",
            mobile=directory_demo.demo_mobile(901),
            # Low priority: never the department's fallback when nobody is on shift.
            priority=9,
            user=user,
        )
    if contact is not None and depot.manager_id is None:
        services.save_depot(depot=depot, manager=contact)
