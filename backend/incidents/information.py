"""The content of an information report (《突发环境事件信息报告办法》第十条、第十一条), built from
the record at the moment of issue and frozen in the report.

初报: time, place (name and coordinates), source of the information, cause and nature, course,
pollutant and quantity, monitoring data (samples beside the prediction), casualties (the impact
figures), drinking-water sources and other sensitive receptors affected, trend (the trace),
handling so far, measures planned and next steps (the plan's measures at the recommended
space), and a map of the receptors. 续报 adds what changed since the previous report;
处理结果报告 adds results, indirect harm, losses, social impact, problems left and
accountability. The duty officer writes what the system cannot know (`written`); the system
fills in the rest. Every string is Chinese: the report is the record's language.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from backend.directory.models import AdminArea
from plans.models import Measure, RiverFeature
from plans.svgmap import river_svg

from .event_text import LEVEL_NAMES, describe
from .models import Incident, IncidentEvent, InformationReport, Task

# What the duty officer may write, per kind (all optional: a blank one is filled from the record
# or says 暂无/待核实).
WRITTEN_FIELDS = {
    "initial": ("place", "source", "cause", "course", "handling", "next_steps"),
    "followup": ("place", "source", "cause", "course", "handling", "next_steps", "changes"),
    "result": (
        "place", "source", "cause", "course", "handling", "next_steps", "results", "indirect_harm", "losses",
        "social_impact", "problems", "accountability",
    ),
}  # fmt: skip
TITLES = {"initial": "初报", "followup": "续报", "result": "处理结果报告"}
BASIS_TEXT = {"confirmed": "已确认", "predicted": "预测超标", "potential": "可能受影响（泄漏量不详，无法判断浓度）"}
SERVES_TEXT = {"prefecture": "市级", "county": "县级", "township": "乡镇级"}
UNKNOWN = "待核实"


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M}" if value else UNKNOWN


def _place(incident: Incident, written: str) -> dict:
    point = incident.location
    county = (
        AdminArea.objects.filter(level=AdminArea.Level.COUNTY, boundary__contains=point).only("name").first()
        if point is not None
        else None
    )
    parts = [county.name if county else "", incident.river.name if incident.river_id else ""]
    return {
        "name": written or "".join(parts) or UNKNOWN,
        "coordinates": f"东经{point.x:.5f}°，北纬{point.y:.5f}°",
        "lon": point.x,
        "lat": point.y,
    }


def _pollutant(incident: Incident) -> str:
    if incident.pollutant is None:
        return f"污染物{UNKNOWN}"
    amount = f"约{incident.mass_kg:g}千克" if incident.mass_kg is not None else "数量不详"
    return f"{incident.pollutant.name}，{amount}"


def _casualties(incident: Incident) -> str:
    figures = [
        ("死亡", incident.deaths, "人"),
        ("中毒或重伤", incident.poisoned, "人"),
        ("疏散转移", incident.evacuated, "人"),
        ("直接经济损失", incident.direct_loss_yuan, "元"),
    ]
    known = [f"{label}{value}{unit}" for label, value, unit in figures if value is not None]
    return "，".join(known) if known else "暂无人员伤亡和经济损失报告"


def _monitoring(incident: Incident) -> list[str]:
    predicted = {
        e.data.get("sample"): e.data.get("predicted_mg_l")
        for e in IncidentEvent.objects.filter(incident=incident, event_type="sample_recorded")
    }
    lines = []
    for sample in incident.samples.select_related("pollutant").order_by("sampled_at"):
        model = predicted.get(sample.pk)
        beside = f"（模型预测 {model:g} mg/L）" if model is not None else "（无模型预测）"
        lines.append(
            f"{_when(sample.sampled_at)}，{sample.sampled_by or '监测人员'}于东经{sample.location.x:.4f}°、"
            f"北纬{sample.location.y:.4f}°采样，{sample.pollutant.name} {sample.value_mg_l:g} mg/L{beside}"
        )
    return lines or ["暂无监测数据"]


def _receptors(incident: Incident) -> list[str]:
    """Drinking-water sources and other sensitive receptors affected, with the basis of each."""
    lines = []
    suspended = RiverFeature.objects.filter(pk__in=incident.suspended_intakes)
    for feature in suspended:
        lines.append(f"{feature.name}（{SERVES_TEXT.get(feature.serves, '')}饮用水水源地）已停止取水")
    seen = {f.pk for f in suspended}
    for reason in [*incident.level_reasons, *incident.potential_reasons]:
        if reason.get("feature") in seen or "arrival_hours" not in reason:
            continue
        seen.add(reason.get("feature"))
        lines.append(f"{reason['name']}：{BASIS_TEXT[reason['basis']]}，预计约{reason['arrival_hours']:.1f}小时后到达")
    return lines or ["暂未发现饮用水水源地和其他敏感目标受到影响"]


def _trend(incident: Incident) -> list[str]:
    trace = incident.trace or {}
    lines = []
    for entry in trace.get("downstream", []):
        if entry["kind"] != "receptor":
            continue
        peak = entry.get("peak_mg_l")
        concentration = f"，预测峰值 {peak:g} mg/L" if peak is not None else ""
        verdict = {True: "，超标", False: "，未超标"}.get(entry.get("exceeds"), "")
        lines.append(
            f"{entry['name']}：距事发点{entry['distance_m'] / 1000:.1f}公里，"
            f"预计{entry['arrival_hours']:.1f}小时后到达{concentration}{verdict}"
        )
    for crossing in trace.get("boundary_crossings", []):
        lines.append(
            f"{crossing['from_area']['name']}—{crossing['to_area']['name']}交界：距事发点"
            f"{crossing['distance_m'] / 1000:.1f}公里，预计{crossing['arrival_hours']:.1f}小时后到达"
        )
    if not trace:
        return ["未进行河流污染扩散预测"]
    return lines or ["下游未发现敏感目标"]


def _handling(incident: Incident, written: str) -> list[str]:
    tasks = Task.objects.filter(incident=incident).select_related("department").order_by("created_at", "pk")
    lines = [written] if written else []
    for task in tasks:
        pending = "已确认" if task.acknowledged_at else "待确认"
        state = {"done": "已完成", "cancelled": "已取消"}.get(task.status, pending)
        lines.append(f"{task.department.name}：{task.text}（{state}）")
    return lines or ["暂无"]


def _measures(incident: Incident, written: str) -> list[str]:
    """The plan's measures for this pollutant's category at the recommended emergency space."""
    lines = []
    space = (incident.trace or {}).get("recommended_space")
    activation = incident.activations.select_related("plan").order_by("activated_at", "pk").first()
    if space and activation and incident.pollutant is not None:
        measures = Measure.objects.filter(
            plan=activation.plan, space_id=space["id"], category=incident.pollutant.category
        ).order_by("order")
        lines += [f"{space['name']}：{m.action}" for m in measures]
    if space and not lines:
        lines.append(f"在{space['name']}设置拦截（距事发点{space['distance_m'] / 1000:.1f}公里）")
    if written:
        lines.append(written)
    return lines or ["根据监测结果和事态发展研究确定"]


def _map_svg(incident: Incident) -> str:
    trace = incident.trace or {}
    ids = [e["id"] for e in trace.get("downstream", []) if e["kind"] in ("receptor", "space")]
    features = list(RiverFeature.objects.filter(pk__in=ids).select_related("river"))
    rivers = {f.river_id: f.river for f in features}
    if incident.river_id:
        rivers.setdefault(incident.river_id, incident.river)
    # The spill drawn with the risk-source symbol (a red triangle), named as such.
    spill = SimpleNamespace(kind="risk_source", receptor_type="", location=incident.location, name="事发地点")
    focus = incident.river.code if incident.river_id else None
    return river_svg(list(rivers.values()), [spill, *features], focus_code=focus)


def _changes(incident: Incident, previous: InformationReport | None, written: str) -> list[str]:
    after = previous.content.get("last_seq", 0) if previous else 0
    events = IncidentEvent.objects.filter(incident=incident, seq__gt=after).exclude(
        event_type__in=("sms_status", "task_acknowledged", "report_issued")
    )
    lines = [written] if written else []
    lines += [f"{timezone.localtime(e.at):%m月%d日 %H:%M} {describe(e)}" for e in events]
    return lines or ["与上次报告相比无新情况"]


def _course(incident: Incident, written: str) -> list[str]:
    if written:
        return [written]
    shown = ("opened", "plan_activated", "level_changed", "status_changed", "note", "intake_suspended", "closed")
    events = IncidentEvent.objects.filter(incident=incident, event_type__in=shown)
    return [f"{timezone.localtime(e.at):%m月%d日 %H:%M} {describe(e)}" for e in events]


def build_content(incident: Incident, kind: str, written: dict, previous: InformationReport | None) -> dict:
    text = {name: (written.get(name) or "").strip() for name in WRITTEN_FIELDS[kind]}
    level = LEVEL_NAMES[incident.level] + ("" if incident.level_confirmed else "（初步判断）")
    if incident.potential_level < incident.level:
        level += f"；若泄漏量较大，可能达到{LEVEL_NAMES[incident.potential_level]}"
    content = {
        "title": f"{'【演练】' if incident.exercise else ''}关于{incident.title}的{TITLES[kind]}",
        "exercise": incident.exercise,
        "short_code": incident.short_code,
        "level": level,
        "time": {"occurred": _when(incident.occurred_at), "reported": _when(incident.reported_at)},
        "place": _place(incident, text["place"]),
        "source": text["source"] or UNKNOWN,
        "cause": text["cause"] or (incident.description or "").strip().rstrip("。") or UNKNOWN,
        "course": _course(incident, text["course"]),
        "pollutant": _pollutant(incident),
        "monitoring": _monitoring(incident),
        "casualties": _casualties(incident),
        "receptors": _receptors(incident),
        "trend": _trend(incident),
        "handling": _handling(incident, text["handling"]),
        "measures": _measures(incident, text["next_steps"]),
        "map_svg": _map_svg(incident),
        "last_seq": incident.last_seq,
    }
    if kind == "followup":
        content["previous"] = (
            {"kind": previous.kind, "number": previous.number, "issued_at": _when(previous.issued_at)}
            if previous
            else None
        )
        content["changes"] = _changes(incident, previous, text["changes"])
    if kind == "result":
        for name in ("results", "indirect_harm", "losses", "social_impact", "problems", "accountability"):
            content[name] = text[name] or UNKNOWN
        if not text["losses"] and incident.direct_loss_yuan is not None:
            content["losses"] = f"直接经济损失{incident.direct_loss_yuan}元"
        content["summary"] = incident.summary or ""
    return content


def render_report_html(report: InformationReport, *, page: bool = False, pdf_url: str = "") -> str:
    """The issued report as HTML, from its frozen content only (the record may have moved on)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        return render_to_string(
            "incidents/information_report.html",
            {"report": report, "c": report.content, "issued_at": _when(report.issued_at), "page": page,
             "pdf_url": pdf_url},
        )  # fmt: skip


def render_report_pdf(report: InformationReport) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    return HTML(string=render_report_html(report), base_url=None).write_pdf()
