"""Adjacent areas (《突发环境事件信息报告办法》第八条): when the event affects or may affect a
neighbouring area, the bureau notifies the SAME-LEVEL environment department there (a city
bureau notifies the downstream city's bureau; at a province line also the provincial
department), and proposes to its own government that it notify the neighbouring government.

Who is neighbouring comes from two sources that add up: the trace's computed
`boundary_crossings` (each with the bureaus to `notify`) and the boundary sections a bureau
placed by hand on the river (their `downstream_jurisdiction`). A line the plume reaches only
below the limit (a known mass, basis null) is no notice; without a mass it may be affected.
"""

from __future__ import annotations

from django.conf import settings

from backend.directory.models import Contact, Department
from plans.threat import threat_basis

from ..models import Incident, Task

NOTIFY_DOWNSTREAM = "通报下游"
PROPOSE_GOVERNMENT = "提请政府通报"
_UNREAD = object()  # the coordinator, not read by the caller


def neighbours(incident: Incident, trace: dict, receptors: dict) -> list[dict]:
    """[{department: Department | None, name, area, place, arrival_hours}] in downstream order,
    one per bureau to notify (the first, earliest arrival wins)."""
    with_mass = incident.mass_kg is not None
    found: list[dict] = []
    for entry in trace.get("downstream", []):
        feature = receptors.get(entry["id"]) if entry["kind"] == "receptor" else None
        if feature is None or feature.receptor_type != "boundary":
            continue
        # A boundary line is a receptor for every pollutant: limit or not, reaching it is the fact
        # that matters for the notice, so acids count here as they would with a limit.
        if threat_basis(entry, receptor_type="boundary", with_mass=with_mass, pollutant_has_limit=True) is None:
            continue
        bureau = feature.downstream_jurisdiction
        found.append(
            {
                "department": bureau,
                "name": bureau.name if bureau else feature.name,
                "area": _area_of(bureau),
                "place": feature.name,
                "arrival_hours": entry["arrival_hours"],
            }
        )
    for crossing in trace.get("boundary_crossings", []):
        if crossing.get("basis") is None:
            continue
        codes = [n["code"] for n in crossing.get("notify", [])]
        bureaus = Department.objects.in_bulk(codes, field_name="code")
        for item in crossing.get("notify", []):
            found.append(
                {
                    "department": bureaus.get(item["code"]),
                    "name": item["name"],
                    "area": crossing["to_area"]["name"],
                    "place": f"{crossing['from_area']['name']}—{crossing['to_area']['name']}交界",
                    "arrival_hours": crossing["arrival_hours"],
                }
            )
    found.sort(key=lambda n: n["arrival_hours"])
    unique, seen = [], set()
    for item in found:
        key = item["department"].pk if item["department"] else item["name"]
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _area_of(bureau: Department | None) -> str:
    """The area a neighbouring bureau answers for: its jurisdiction, else read off its name
    (河北省生态环境厅 → 河北省)."""
    if bureau is None:
        return ""
    if bureau.jurisdiction:
        return bureau.jurisdiction
    for suffix in ("生态环境厅", "生态环境局", "环境保护厅", "环境保护局"):
        if bureau.name.endswith(suffix):
            return bureau.name.removesuffix(suffix)
    return ""


def notify_adjacent_areas(
    incident: Incident,
    trace: dict,
    receptors: dict,
    *,
    actor,
    now,
    departments=None,
    log: list | None = None,
    coordinator: Department | None | object = _UNREAD,
) -> list[Task]:
    """Tasks of the coordinating department: one notice per neighbouring bureau, then one
    proposal per neighbouring area that the own government notify its government (returned). The caller
    holds the incident lock; the tasks' events go to `log` when given (else recorded here).
    `coordinator`, when the caller has read it (the opening), saves reading it again."""
    from .events import record_many
    from .opening import _new_task, task_data

    if coordinator is _UNREAD:
        coordinator = Department.objects.filter(is_coordinator=True).first()
    if coordinator is None or (departments is not None and coordinator.pk not in departments):
        return []
    found = neighbours(incident, trace, receptors)
    # Each bureau's first two active contacts, for all bureaus in one read.
    contacts_of: dict[int, list] = {}
    bureau_ids = {item["department"].pk for item in found if item["department"] is not None}
    if bureau_ids:
        for contact in Contact.objects.filter(department_id__in=bureau_ids, active=True).order_by("priority", "pk"):
            contacts_of.setdefault(contact.department_id, []).append(contact)

    def coordinator_task(text: str, source: str, complete_minutes: int, contact_hint: str = "") -> Task:
        return _new_task(
            incident,
            department=coordinator,
            text=text,
            ack_minutes=10,
            complete_minutes=complete_minutes,
            order=0,
            source=source,
            template_id=None,
            contact_hint=contact_hint,
            now=now,
        )

    tasks, areas = [], {}
    for item in found:
        bureau = item["department"]
        contacts = contacts_of.get(bureau.pk, [])[:2] if bureau else []
        hint = " / ".join(f"{bureau.name} {c.name} {c.mobile}" for c in contacts) if bureau else ""
        when = f"预计 {item['arrival_hours']:.1f} 小时到达"
        text = f"{NOTIFY_DOWNSTREAM}：{item['name']}（{item['place']}，{when}）"
        tasks.append(coordinator_task(text, "boundary", 30, hint or (bureau.duty_phone if bureau else "")))
        area = item["area"] or item["name"]
        areas.setdefault(area, item["arrival_hours"])
    own = settings.REPORTING_GOVERNMENT
    for area, hours in areas.items():
        text = f"{PROPOSE_GOVERNMENT}：建议{own}通报{area}人民政府（预计 {hours:.1f} 小时影响{area}）"
        tasks.append(coordinator_task(text, "government", 60))
    if not tasks:
        return []
    Task.objects.bulk_create(tasks)  # one INSERT, in the order above (the events' order)
    entries = [("task_created", task_data(task), now) for task in tasks]
    if log is not None:
        log.extend(entries)
    else:
        record_many(incident, entries, actor=actor)
    return tasks
