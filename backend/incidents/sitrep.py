"""Situation reports (初报 / 续报 / 终报) computed from the event log, and the CAP 1.2 alert."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone, translation

from .event_text import LEVEL_NAMES, describe
from .models import Incident, IncidentEvent, Task

REPORT_TITLES = {"initial": "初报", "followup": "续报", "final": "终报"}
CHINESE_NUMERALS = "一二三四五六七八九十"
SEVERITY = {1: "Extreme", 2: "Severe", 3: "Moderate", 4: "Minor"}


def situation_report(incident: Incident, kind: str, *, now: datetime) -> dict:
    events = list(IncidentEvent.objects.filter(incident=incident).order_by("seq"))
    tasks = list(
        Task.objects.filter(incident=incident).select_related("department").order_by("department__sort_order", "order")
    )
    trace = incident.trace or {}
    # The trace gives metres; the table's column is in km.
    threatened = [
        {**e, "distance_km": e["distance_m"] / 1000.0} for e in trace.get("downstream", []) if e["kind"] == "receptor"
    ]
    by_department: dict[str, dict] = {}
    for task in tasks:
        row = by_department.setdefault(task.department.name, {"total": 0, "acknowledged": 0, "done": 0})
        row["total"] += 1
        row["acknowledged"] += task.acknowledged_at is not None
        row["done"] += task.status == Task.Status.DONE
    samples = incident.samples.select_related("pollutant")
    notes = [e for e in events if e.event_type == "note"]
    # Sections are numbered in the order they appear: an absent one leaves no gap.
    present = ["basics", *(["trend"] if threatened else []), "handling", *(["monitoring"] if samples else [])]
    present += [*(["notes"] if notes else []), *(["summary"] if kind == "final" else [])]
    return {
        "numbers": {key: CHINESE_NUMERALS[i] for i, key in enumerate(present)},
        # The description is a sentence of its own: the template adds the full stop once.
        "description": (incident.description or incident.title).strip().rstrip("。.；;，, "),
        "timeline": [(e, describe(e)) for e in events],
        "incident": incident,
        # The report is in Chinese whatever the interface language.
        **_chinese_labels(incident),
        "kind": kind,
        "report_title": REPORT_TITLES[kind],
        "level_name": LEVEL_NAMES[incident.level],
        "generated_at": now,
        "events": events,
        "tasks": tasks,
        "departments": by_department,
        "threatened": threatened,
        "recommended_space": trace.get("recommended_space"),
        "samples": samples,
        "notes": notes,
    }


def _chinese_labels(incident: Incident) -> dict:
    with translation.override("zh-hans"):
        return {"kind_name": str(incident.get_kind_display()), "status_name": str(incident.get_status_display())}


def _sub(parent, tag, text=None):
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def cap_alert(incident: Incident) -> bytes:
    """The incident as an OASIS CAP 1.2 alert (GB/T 35965.1 follows the same structure)."""
    ns = "urn:oasis:names:tc:emergency:cap:1.2"
    ET.register_namespace("", ns)
    alert = ET.Element(f"{{{ns}}}alert")
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731 - a local shorthand for namespaced tags
    host = settings.PUBLIC_BASE_URL.split("://", 1)[-1].split("/")[0]
    _sub(alert, q("identifier"), f"{host}-incident-{incident.pk}-{incident.last_seq}")
    _sub(alert, q("sender"), f"erc@{host}")
    _sub(alert, q("sent"), timezone.localtime(timezone.now()).replace(microsecond=0).isoformat())
    _sub(alert, q("status"), "Exercise" if incident.exercise else "Actual")
    closed = incident.status == Incident.Status.CLOSED
    _sub(alert, q("msgType"), "Cancel" if closed else ("Alert" if incident.last_seq <= 1 else "Update"))
    _sub(alert, q("scope"), "Restricted")
    _sub(alert, q("restriction"), "环境应急联动部门 / emergency response departments")
    if incident.exercise:
        _sub(alert, q("note"), "【演练】This is an exercise.")
    info = _sub(alert, q("info"))
    _sub(info, q("language"), "zh-CN")
    _sub(info, q("category"), "Env")
    _sub(info, q("event"), "突发环境事件")
    _sub(info, q("urgency"), "Past" if closed else "Immediate")
    _sub(info, q("severity"), SEVERITY[incident.level])
    _sub(info, q("certainty"), "Observed" if incident.status != Incident.Status.REPORTED else "Likely")
    _sub(info, q("senderName"), "忻州市生态环境局")
    _sub(
        info,
        q("headline"),
        f"{'【演练】' if incident.exercise else ''}{incident.title}（{LEVEL_NAMES[incident.level]}）",
    )
    description = incident.description or incident.title
    if incident.trace:
        receptors = [e for e in incident.trace.get("downstream", []) if e["kind"] == "receptor"]
        if receptors:
            description += "；下游敏感目标：" + "，".join(
                f"{r['name']}（约{r['arrival_hours']:.1f}小时到达）" for r in receptors[:5]
            )
    _sub(info, q("description"), description)
    _sub(info, q("instruction"), "各联动部门按一河一策预案履行职责，及时确认任务。")
    _sub(info, q("web"), f"{settings.PUBLIC_BASE_URL}/board/incidents/{incident.pk}/")
    area = _sub(info, q("area"))
    _sub(area, q("areaDesc"), incident.river.name if incident.river_id else "事发地点")
    # CAP circles are "lat,lon radius-km".
    _sub(area, q("circle"), f"{incident.location.y:.5f},{incident.location.x:.5f} 5")
    return ET.tostring(alert, encoding="utf-8", xml_declaration=True)
