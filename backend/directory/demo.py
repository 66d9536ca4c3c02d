"""Demo data for the directory: departments, contacts, users per role, a week of roster.

Idempotent (get-or-create by natural keys). Demo only: `load_demo` refuses to run under
production settings. China has no reserved fictional mobile range, so demo numbers sit in
one block (+86 199 0000 0xxx) that the SMS sandbox receives; never load the demo where real
SMS is configured.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import outlines, roles, seats, services, signals
from .models import AdminArea, Contact, Department

DEMO_PASSWORD = "Demo!2026"

AGENCY, COUNTY, EXTERNAL = Department.Kind.AGENCY, Department.Kind.COUNTY, Department.Kind.EXTERNAL
DEPARTMENTS = [
    # code, name, English name, kind, area code, jurisdiction
    ("environment", "忻州市生态环境局", "Xinzhou Ecology and Environment Bureau", AGENCY, "140900", ""),
    ("police", "忻州市公安局", "Xinzhou Public Security Bureau", AGENCY, "140900", ""),
    ("fire", "忻州市消防救援支队", "Xinzhou Fire and Rescue Detachment", AGENCY, "140900", ""),
    ("emergency", "忻州市应急管理局", "Xinzhou Emergency Management Bureau", AGENCY, "140900", ""),
    ("transport", "忻州市交通运输局", "Xinzhou Transport Bureau", AGENCY, "140900", ""),
    ("water", "忻州市水利局", "Xinzhou Water Resources Bureau", AGENCY, "140900", ""),
    ("meteorology", "忻州市气象局", "Xinzhou Meteorological Bureau", AGENCY, "140900", ""),
    ("health", "忻州市卫生健康委员会", "Xinzhou Health Commission", AGENCY, "140900", ""),
    ("gov-xinfu", "忻府区人民政府", "Xinfu District Government", COUNTY, "140902", ""),
    ("gov-yuanping", "原平市人民政府", "Yuanping City Government", COUNTY, "140981", ""),
    ("gov-dingxiang", "定襄县人民政府", "Dingxiang County Government", COUNTY, "140921", ""),
    ("gov-ningwu", "宁武县人民政府", "Ningwu County Government", COUNTY, "140925", ""),
    # Environment bureaus of the neighbouring areas (notified when a plume reaches their line).
    ("ext-taiyuan", "太原市生态环境局", "Taiyuan Ecology and Environment Bureau", EXTERNAL, "140100", "太原市"),
    ("ext-shuozhou", "朔州市生态环境局", "Shuozhou Ecology and Environment Bureau", EXTERNAL, "140600", "朔州市"),
    ("ext-hebei", "河北省生态环境厅", "Hebei Department of Ecology and Environment", EXTERNAL, "130000", "河北省"),
    (
        "ext-shijiazhuang",
        "石家庄市生态环境局",
        "Shijiazhuang Ecology and Environment Bureau",
        EXTERNAL,
        "130100",
        "河北省石家庄市",
    ),
    ("ext-yangquan", "阳泉市生态环境局", "Yangquan Ecology and Environment Bureau", EXTERNAL, "140300", "阳泉市"),
    ("ext-lvliang", "吕梁市生态环境局", "Lüliang Ecology and Environment Bureau", EXTERNAL, "141100", "吕梁市"),
    ("ext-datong", "大同市生态环境局", "Datong Ecology and Environment Bureau", EXTERNAL, "140200", "大同市"),
    ("ext-shanxi", "山西省生态环境厅", "Shanxi Department of Ecology and Environment", EXTERNAL, "140000", "山西省"),
    (
        "ext-neimenggu",
        "内蒙古自治区生态环境厅",
        "Inner Mongolia Department of Ecology and Environment",
        EXTERNAL,
        "150000",
        "内蒙古自治区",
    ),
    (
        "ext-hohhot",
        "呼和浩特市生态环境局",
        "Hohhot Ecology and Environment Bureau",
        EXTERNAL,
        "150100",
        "内蒙古自治区呼和浩特市",
    ),
    (
        "ext-ordos",
        "鄂尔多斯市生态环境局",
        "Ordos Ecology and Environment Bureau",
        EXTERNAL,
        "150600",
        "内蒙古自治区鄂尔多斯市",
    ),
    ("ext-shaanxi", "陕西省生态环境厅", "Shaanxi Department of Ecology and Environment", EXTERNAL, "610000", "陕西省"),
    ("ext-yulin", "榆林市生态环境局", "Yulin Ecology and Environment Bureau", EXTERNAL, "610800", "陕西省榆林市"),
]

PEOPLE = {
    # department: [(name, duty role, title)]
    "environment": [("王建国", "值班员", "应急科科长"), ("李娜", "值班员", "应急科"), ("赵志强", "分管领导", "副局长")],
    "police": [("张伟", "联络员", "指挥中心"), ("刘洋", "值班员", "指挥中心")],
    "fire": [("陈磊", "联络员", "作战训练科"), ("杨帆", "值班员", "指挥中心"), ("周涛", "分管领导", "副支队长")],
    "emergency": [("吴敏", "联络员", "应急指挥科"), ("孙丽", "值班员", "值班室")],
    "transport": [("郑浩", "联络员", "安全监督科"), ("冯雪", "值班员", "值班室")],
    "water": [("何勇", "联络员", "水旱灾害防御科"), ("马超", "值班员", "水文站")],
    "meteorology": [("高峰", "联络员", "预报科"), ("林静", "值班员", "气象台")],
    "health": [("郭婷", "联络员", "应急办"), ("罗斌", "值班员", "值班室")],
    "gov-xinfu": [("梁晨", "联络员", "区应急办")],
    "gov-yuanping": [("宋佳", "联络员", "市应急办")],
    "gov-dingxiang": [("谢明", "联络员", "县应急办")],
    "gov-ningwu": [("韩冰", "联络员", "县应急办")],
    "ext-taiyuan": [("邓凯", "联络员", "应急中心")],
    "ext-shuozhou": [("许静", "联络员", "应急中心")],
    "ext-hebei": [("曹阳", "联络员", "应急中心")],
    "ext-shijiazhuang": [("彭程", "联络员", "应急中心")],
    "ext-yangquan": [("任磊", "联络员", "应急中心")],
    "ext-lvliang": [("白雪", "联络员", "应急中心")],
    "ext-datong": [("贾亮", "联络员", "应急中心")],
    "ext-shanxi": [("田甜", "联络员", "应急中心")],
    "ext-neimenggu": [("乌兰", "联络员", "应急中心")],
    "ext-hohhot": [("巴特尔", "联络员", "应急中心")],
    "ext-ordos": [("其其格", "联络员", "应急中心")],
    "ext-shaanxi": [("薛刚", "联络员", "应急中心")],
    "ext-yulin": [("常青", "联络员", "应急中心")],
}

USERS = [
    # username, role, department, full name
    ("duty", roles.DUTY_OFFICER, "environment", "值班员 王建国"),
    ("liaison-env", roles.LIAISON, "environment", "联络员 李娜"),
    ("liaison-fire", roles.LIAISON, "fire", "联络员 陈磊"),
    ("liaison-police", roles.LIAISON, "police", "联络员 张伟"),
    ("liaison-water", roles.LIAISON, "water", "联络员 何勇"),
    ("depot", roles.DEPOT_MANAGER, None, "仓库管理员"),
    ("trainer", roles.TRAINER, None, "演练导调"),
    ("evaluator", roles.EVALUATOR, None, "评估员"),
    ("viewer", roles.VIEWER, None, "观摩人员"),
    ("admin", roles.ADMINISTRATOR, None, "系统管理员"),
]


COUNTY_SEATS = {  # seat (lon, lat) of each county-level unit, to within ~1 km (tests check the outlines)
    "140902": (112.73, 38.42),  # 忻府区
    "140921": (112.96, 38.47),  # 定襄县
    "140922": (113.25, 38.73),  # 五台县
    "140923": (112.96, 39.07),  # 代县
    "140924": (113.26, 39.19),  # 繁峙县
    "140925": (112.30, 39.00),  # 宁武县
    "140926": (111.94, 38.36),  # 静乐县
    "140927": (112.20, 39.09),  # 神池县
    "140928": (111.85, 38.91),  # 五寨县
    "140929": (111.57, 38.70),  # 岢岚县
    "140930": (111.14, 39.38),  # 河曲县
    "140931": (111.09, 39.02),  # 保德县
    "140932": (111.50, 39.44),  # 偏关县
    "140981": (112.71, 38.73),  # 原平市
}


def demo_mobile(serial: int) -> str:
    return f"+86199000{serial:05d}"


def load(stdout=None) -> None:
    roles.sync_roles()
    areas = {}
    # Real outlines (backend/directory/data/areas.geojson, built by `manage.py build_areas`);
    # parents come before their children in the file.
    for row in outlines.read():
        defaults = {
            "name": row["name"],
            "name_en": row["name_en"],
            "level": row["level"],
            "parent": areas.get(row["parent"]),
            "boundary": row["boundary"],
        }
        areas[row["code"]], _ = AdminArea.objects.update_or_create(code=row["code"], defaults=defaults)
    seats.load()  # the county seats (data/seats.geojson), onto the areas just written
    signals.areas_changed.send(sender=AdminArea)
    departments = {}
    for order, (code, name, name_en, kind, area, jurisdiction) in enumerate(DEPARTMENTS):
        departments[code], _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "area": areas.get(area) if area else None,
                "jurisdiction": jurisdiction,
                "is_coordinator": code == "environment",
                "sort_order": (order + 1) * 10,
            },
        )
    serial = 1
    for code, people in PEOPLE.items():
        for priority, (name, duty_role, title) in enumerate(people, start=1):
            existing = Contact.objects.filter(department=departments[code], name=name).first()
            if existing is None:
                services.save_contact(
                    department=departments[code],
                    name=name,
                    duty_role=duty_role,
                    title=title,
                    mobile=demo_mobile(serial),
                    priority=priority,
                )
            serial += 1
    for username, role, department_code, full_name in USERS:
        # Only a new demo user gets the password: a second run must not undo a changed one
        # (and checking it would cost ~0.5 s of PBKDF2 per user).
        is_new = not get_user_model().objects.filter(username=username).exists()
        user = services.ensure_user(
            username=username,
            password=DEMO_PASSWORD if is_new else None,
            role=role,
            department=departments.get(department_code),
            first_name=full_name,
        )
        if role == roles.ADMINISTRATOR and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        # Tie a login to its person in the directory, so acknowledgements name someone.
        if department_code and not Contact.objects.filter(user=user).exists():
            Contact.objects.filter(department=departments[department_code], name=full_name.split(" ")[-1]).update(
                user=user
            )
    _roster_week(departments)
    if stdout:
        stdout.write(f"directory: {Department.objects.count()} departments, {Contact.objects.count()} contacts")


def _roster_week(departments) -> None:
    """Two 12-hour shifts a day (08:00–20:00, 20:00–08:00) alternating between the first
    two contacts of every agency department, for the current week."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for department in departments.values():
        if department.kind != Department.Kind.AGENCY:
            continue
        people = list(department.contacts.filter(active=True).order_by("priority")[:2])
        if not people:
            continue
        for day in range(7):
            for half in range(2):
                start = datetime.combine(monday + timedelta(days=day), time(8 if half == 0 else 20), tzinfo=tz)
                end = start + timedelta(hours=12)
                contact = people[(day * 2 + half) % len(people)]
                if not department.shifts.filter(start=start, end=end).exists():
                    services.save_shift(department=department, contact=contact, start=start, end=end)
