"""One Chinese sentence per event type, for the records written in Chinese (the sitrep's
appendix, the information reports' course of events). Kept in this one place so that the
event registry's labels can replace it later."""

from __future__ import annotations

from .models import IncidentEvent

LEVEL_NAMES = {1: "特别重大（I级）", 2: "重大（II级）", 3: "较大（III级）", 4: "一般（IV级）"}
STATUS_NAMES = {
    "reported": "已接报", "verified": "已核实", "responding": "处置中", "contained": "已控制", "closed": "已关闭",
}  # fmt: skip
REPORT_NAMES = {"initial": "初报", "followup": "续报", "result": "处理结果报告"}

EVENT_SENTENCES = {
    "opened": "接报并建立事件",
    "plan_activated": "启动“一河一策”应急预案",
    "level_changed": "调整事件级别",
    "status_changed": "事件状态变更",
    "task_created": "下达部门任务",
    "task_acknowledged": "部门确认任务",
    "task_started": "部门开始执行任务",
    "task_completed": "部门完成任务",
    "task_reassigned": "任务改派",
    "task_reassign_requested": "部门申请改派任务",
    "note": "现场动态",
    "sample_recorded": "录入监测数据",
    "resource_requested": "申请应急物资",
    "resource_dispatched": "调拨应急物资",
    "sms_status": "短信发送状态更新",
    "closed": "事件处置结束",
    "reopened": "事件重新开启",
    "inject_delivered": "演练情景注入",
    "drill_control": "演练导调控制",
    "resource_updated": "应急物资状态更新",
    "escalated": "未确认任务升级提醒",
    "impact_updated": "更新人员伤亡和损失情况",
    "intake_suspended": "饮用水水源地取水口停止取水",
    "intake_resumed": "饮用水水源地取水口恢复取水",
    "reporting_retimed": "按重大、特别重大事件程序调整信息报告时限",
    "reporting_trigger_declared": "决定按重大、特别重大事件程序报告",
    "report_delivered": "向上级报告事件信息",
    "report_issued": "签发信息报告",
}


def describe(event: IncidentEvent) -> str:
    """The event as a Chinese sentence, with the details that matter for a record."""
    data = event.data or {}
    base = EVENT_SENTENCES.get(event.event_type, "其他记录")
    kind = event.event_type
    if kind == "level_changed":
        return f"{base}为{LEVEL_NAMES.get(data.get('to'), '')}：{data.get('reason', '')}"
    if kind == "status_changed":
        return f"{base}：{STATUS_NAMES.get(data.get('from'), '')}→{STATUS_NAMES.get(data.get('to'), '')}"
    if kind in ("task_created", "task_completed", "task_acknowledged", "task_started", "task_reassigned"):
        return f"{base}：{data.get('text', '')}".rstrip("：")
    if kind == "note":
        return f"{base}：{data.get('text', '')}"
    if kind == "plan_activated":
        return f"{base}（{data.get('title', '')}）"
    if kind in ("intake_suspended", "intake_resumed"):
        return f"{data.get('name', '')}{base.removeprefix('饮用水水源地取水口')}"
    if kind == "report_delivered":
        return f"{base}：{data.get('reported_by', '')}报告{'、'.join(data.get('reported_to', []))}"
    if kind == "report_issued":
        return f"{base}：{REPORT_NAMES.get(data.get('kind'), '')}{_number(data)}"
    if kind == "sample_recorded":
        return f"{base}：{data.get('value_mg_l', '')} mg/L"
    return base


def _number(data: dict) -> str:
    return f"（第{data.get('number')}期）" if data.get("kind") == "followup" else ""
