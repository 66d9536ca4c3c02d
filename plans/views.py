"""Pages of 一图: the overview map, a map per river and the printable plan. Read-only."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from backend.directory.models import AdminArea

from . import services
from .models import Measure, Pollutant, ResponsePlan, River, RiverFeature, TaskTemplate
from .serializers import RiverFeatureSerializer, RiverSerializer
from .svgmap import river_svg


def _collection(serializer_class, rows) -> dict:
    # A GeoFeatureModelSerializer with many=True already answers a FeatureCollection.
    return dict(serializer_class(rows, many=True).data)


def basin_of(river: River) -> list[River]:
    """The river and every river that flows into it, directly or through others."""
    rivers = {r.pk: r for r in River.objects.select_related("outlet")}
    members, frontier = {river.pk}, [river.pk]
    while frontier:
        frontier = [pk for pk, r in rivers.items() if r.outlet_id in frontier and pk not in members]
        members.update(frontier)
    return [rivers[pk] for pk in sorted(members, key=lambda pk: rivers[pk].code)]


def _labels() -> dict:
    """UI strings the map script shows, translated here (the script has no catalogue)."""
    return {
        "river": _("River"),
        "tributaries": _("Tributaries"),
        "counties": _("Counties"),
        "outlet": _("Flows into"),
        "section": _("Monitoring sections"),
        "receptor": _("Sensitive receptors"),
        "space": _("Emergency spaces"),
        "risk_source": _("Risk sources"),
        "depots": _("Supply depots"),
        "chainage": _("Chainage"),
        "capacity": _("Capacity"),
        "setup": _("Set-up time"),
        "water_class": _("Target water class"),
        "risk_grade": _("Risk grade"),
        "serves": _("Serves"),
        # The features carry stored values (一般, county): the popups show their labels.
        "risk_grades": {value: str(label) for value, label in RiverFeature.RiskGrade.choices},
        "serves_choices": {value: str(label) for value, label in RiverFeature.Serves.choices},
        "velocity": _("Velocity"),
        "flow": _("Flow"),
        "length": _("Length"),
        "map_page": _("River map"),
        "minutes": _("min"),
        "spill": _("Spill"),
        "tracing": _("Tracing…"),
        "recommended": _("Recommended interception point"),
        "none_recommended": _("No emergency space can be set up in time above the first threatened receptor."),
        "snapped": _("On %(river)s at %(km)s km from its source (%(m)s m from the click)."),
        "exceeds": _("exceeds the limit"),
        "unmixed": _(
            "* Not fully mixed (closer than the mixing length): "
            "the spill’s bank may see several times the printed concentration."
        ),
        "too_late": _("too late"),
        "short": _("too small for the plume by"),
        "confluence": _("Confluence"),
        "kinds": {
            "section": _("Monitoring section"),
            "receptor": _("Sensitive receptor"),
            "space": _("Emergency space"),
            "risk_source": _("Risk source"),
            "confluence": _("Confluence"),
        },
    }


def _tile_attribution() -> str:
    tiles = getattr(settings, "LEAFLET_CONFIG", {}).get("TILES") or []
    return tiles[0][2].get("attribution", "") if tiles and len(tiles[0]) > 2 else ""


def _areas() -> dict:
    """County outlines (when the directory has them): with rivers they make a map readable
    without any tiles, which bureau intranets often lack."""
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(area.boundary.geojson),
            "properties": {"code": area.code, "name": area.name, "name_en": area.name_en},
        }
        for area in AdminArea.objects.filter(level=AdminArea.Level.COUNTY, boundary__isnull=False)
    ]
    return {"type": "FeatureCollection", "features": features}


def _map_context(rivers, features, focus: River | None = None) -> dict:
    return {
        "pollutants": Pollutant.objects.order_by("category", "code"),
        "areas_geojson": _areas(),
        "rivers_geojson": _collection(RiverSerializer, rivers),
        "features_geojson": _collection(RiverFeatureSerializer, features),
        "map_options": {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": _tile_attribution(),
            "focus": focus.code if focus else None,
            "labels": _labels(),
        },
    }


@login_required
@permission_required("plans.view_river", raise_exception=True)
def overview(request):
    rivers = River.objects.select_related("outlet")
    features = RiverFeature.objects.select_related("river", "downstream_jurisdiction")
    approved = {p.river_id: p for p in ResponsePlan.objects.filter(status=ResponsePlan.Status.APPROVED)}
    rows = [{"river": r, "plan": approved.get(r.pk)} for r in rivers]
    context = {"rows": rows, **_map_context(rivers, features)}
    return render(request, "plans/overview.html", context)


@login_required
@permission_required("plans.view_river", raise_exception=True)
def river_map(request, code: str):
    river = get_object_or_404(River.objects.select_related("outlet"), code=code)
    rivers = basin_of(river)
    if river.outlet:
        rivers.append(river.outlet)
    features = RiverFeature.objects.filter(river__in=[r.pk for r in rivers]).select_related(
        "river", "downstream_jurisdiction"
    )
    context = {
        "river": river,
        "tributaries": [r for r in rivers if r.outlet_id == river.pk],
        "plan": river.plans.filter(status=ResponsePlan.Status.APPROVED).first(),
        **_map_context(rivers, features, focus=river),
    }
    return render(request, "plans/river_map.html", context)


def _plan_context(river: River, version: str | None) -> dict:
    """The plan shown: ?version=N, else the approved one, else the latest draft."""
    plans = river.plans.prefetch_related(
        Prefetch("task_templates", queryset=TaskTemplate.objects.select_related("department")),
        Prefetch("measures", queryset=Measure.objects.select_related("space")),
    ).select_related("approved_by")
    if version and version.isdigit():
        plan = get_object_or_404(plans, version=int(version))
    else:
        plan = plans.filter(status=ResponsePlan.Status.APPROVED).first() or plans.first()
    features = list(river.features.select_related("downstream_jurisdiction").order_by("chainage_m"))
    return {
        "river": river,
        "plan": plan,
        "features": features,
        "versions": river.plans.order_by("-version"),
        "inventory": {kind: [f for f in features if f.kind == kind] for kind in RiverFeature.Kind.values},
    }


@login_required
@permission_required("plans.view_responseplan", raise_exception=True)
def plan_print(request, code: str):
    """The plan as one printable page: inventory, measures, task templates and the map.
    Earlier versions stay readable with ?version=N."""
    river = get_object_or_404(River, code=code)
    context = _plan_context(river, request.GET.get("version"))
    rivers = [river, *River.objects.filter(outlet=river)]
    return render(request, "plans/plan_print.html", {**context, **_map_context(rivers, context["features"], river)})


@login_required
@permission_required("plans.view_responseplan", raise_exception=True)
def plan_pdf(request, code: str):
    """The same plan as a PDF (WeasyPrint; the map is server-side SVG since no script runs)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only this view needs

    river = get_object_or_404(River, code=code)
    context = _plan_context(river, request.GET.get("version"))
    context["map_svg"] = river_svg([river], context["features"], focus_code=river.code)
    html = render_to_string("plans/plan_pdf.html", context, request=request)
    response = HttpResponse(HTML(string=html, base_url=None).write_pdf(), content_type="application/pdf")
    version = f"-v{context['plan'].version}" if context["plan"] else ""
    response["Content-Disposition"] = f'inline; filename="plan-{river.code}{version}.pdf"'
    return response


@login_required
@permission_required("plans.view_enterpriseplanfiling", raise_exception=True)
def filings(request):
    """Risk sources whose enterprise emergency plan is missing or expired."""
    return render(request, "plans/filings.html", {"rows": services.missing_or_expired_filings()})
