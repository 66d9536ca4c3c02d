"""Demo data of plans: five of Xinzhou's rivers, what lies along them, and an approved
一河一策 plan for each. Idempotent (natural keys: river code; feature name on its river).
Geometry is approximate but plausible: WGS84, source → mouth, within Xinzhou's extent.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import LineString, Point

from backend.directory.models import Department

from .. import services
from ..models import ResponsePlan, River, RiverFeature
from .data import DEPARTMENT_TASKS, MEASURES, RIVERS, SPACE_CATEGORIES
from .shapes import meander, point_at


def _river(spec: dict, coords: list[tuple[float, float]], outlet: River | None) -> River:
    fields = {
        "name": spec["name"],
        "name_en": spec["name_en"],
        "geometry": LineString(coords, srid=4326),
        "velocity_ms": spec["velocity_ms"],
        "flow_m3s": spec["flow_m3s"],
        "dispersion_m2s": spec["dispersion_m2s"],
        "outlet": outlet,
    }
    existing = River.objects.filter(code=spec["code"]).first()
    return services.save_river(river=existing, **({} if existing else {"code": spec["code"]}), **fields)


def _feature(river: River, coords, fraction: float | tuple, kind: str, name: str, **fields) -> RiverFeature:
    if "downstream_jurisdiction" in fields:
        fields["downstream_jurisdiction"] = Department.objects.filter(code=fields["downstream_jurisdiction"]).first()
    lon, lat = fraction if isinstance(fraction, tuple) else point_at(coords, fraction)
    existing = RiverFeature.objects.filter(river=river, name=name).first()
    return services.save_feature(
        feature=existing, river=river, kind=kind, name=name, location=Point(lon, lat, srid=4326), **fields
    )


def _plan(river: River, spaces: list[RiverFeature], approver) -> ResponsePlan | None:
    if river.plans.filter(status=ResponsePlan.Status.APPROVED).exists():
        return None
    departments = {d.code: d for d in Department.objects.filter(code__in=[code for code, *_ in DEPARTMENT_TASKS])}
    plan = services.create_plan(
        river=river,
        title=f"{river.name}突发水污染事件应急响应方案（一河一策一图）",
        summary=f"{river.name}沿线风险源、敏感目标、应急空间与各部门职责。以空间换时间：在污染团到达前于应急空间拦截处置。",
        user=approver,
    )
    tasks = [
        {"department": departments[code], "text": text, "order": order, "ack_minutes": ack, "complete_minutes": done}
        for order, (code, text, ack, done) in enumerate(DEPARTMENT_TASKS, start=1)
        if code in departments
    ]
    measures = [
        {"space": space, "category": category, "action": action, "order": order}
        for space in spaces
        for category in SPACE_CATEGORIES
        for order, action in enumerate(MEASURES[category][space.space_type], start=1)
    ]
    services.set_plan_contents(plan, task_templates=tasks, measures=measures)
    return services.approve_plan(plan, user=approver)


def load(stdout=None) -> None:
    services.seed_pollutants()
    approver = get_user_model().objects.filter(username="duty").first()
    made: dict[str, tuple[River, list]] = {}
    for spec in RIVERS:  # outlets come before their tributaries
        coords = list(spec["coords"]) if "coords" in spec else meander(spec["keypoints"], seed=len(spec["code"]))
        outlet = None
        if spec.get("outlet"):
            outlet, outlet_coords = made[spec["outlet"]]
            # The mouth sits exactly on the outlet's course, so the confluence is unambiguous.
            coords[-1] = point_at(outlet_coords, spec["confluence_fraction"])
        river = _river(spec, coords, outlet)
        made[spec["code"]] = (river, coords)
        spaces = []
        for kind, fraction, name, fields in spec["features"]:
            feature = _feature(river, coords, fraction, kind, name, **fields)
            if kind == RiverFeature.Kind.SPACE:
                spaces.append(feature)
        plan = _plan(river, spaces, approver)
        if stdout is not None:
            stdout.write(
                f"plans: {river.code} {river.length_m / 1000:.1f} km, {len(spec['features'])} features"
                + (f", plan v{plan.version} approved" if plan else "")
                + "\n"
            )
