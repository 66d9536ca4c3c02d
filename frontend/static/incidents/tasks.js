// Task cards with the actions the user may take; shared by the department view and the room.
import { api, el } from "../js/live.js";

export function overdue(task) {
  if (["done", "cancelled"].includes(task.status)) return false;
  const now = Date.now();
  return (task.status === "pending" && new Date(task.ack_due) < now) || (task.due && new Date(task.due) < now);
}

function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "—";
}

// A reporting deadline is done when someone has reported: who, to whom, how (telephone first,
// then written) and when (now).
function completeReport(run, L) {
  const reportedBy = prompt(L.reported_by_prompt, "");
  if (!reportedBy) return;
  const to = prompt(L.reported_to_prompt, "");
  if (!to) return;
  const written = confirm(L.via_written_prompt);
  run("complete", { reported_by: reportedBy, reported_to: to.split(/[,，、]/).map((s) => s.trim()).filter(Boolean), via: written ? "written" : "telephone" });
}

export function taskActions(task, L, { canCommand = false, onDone, onError }) {
  const run = async (path, body) => {
    try {
      await api(`/api/tasks/${task.id}/${path}/`, { method: "POST", body });
      onDone?.();
    } catch (error) {
      onError?.(error);
    }
  };
  const buttons = [];
  if (task.status === "pending") buttons.push(el("button", { class: "primary", dataset: { action: "acknowledge" }, onclick: () => run("acknowledge") }, L.acknowledge));
  if (["pending", "acknowledged"].includes(task.status)) buttons.push(el("button", { dataset: { action: "start" }, onclick: () => run("start") }, L.start));
  if (["pending", "acknowledged", "in_progress"].includes(task.status)) {
    const complete = task.source === "reporting" ? () => completeReport(run, L) : () => { const note = prompt(L.note_prompt, ""); if (note !== null) run("complete", { note }); };
    buttons.push(el("button", { dataset: { action: "complete" }, onclick: complete }, L.complete));
    if (canCommand) {
      buttons.push(el("button", { dataset: { action: "reassign" }, onclick: () => { const department = prompt(L.department_prompt, ""); if (department) run("reassign", { department, reason: "" }); } }, L.reassign));
    } else if (!task.reassign_requested) {
      buttons.push(el("button", { dataset: { action: "ask-reassign" }, onclick: () => { const reason = prompt(L.reason_prompt, ""); if (reason) run("reassign", { reason }); } }, L.ask_reassign));
    }
  }
  return buttons;
}

export function taskCard(task, L, options) {
  return el(
    "article",
    { class: `task status-${task.status}${overdue(task) ? " is-overdue" : ""}`, dataset: { task: task.id, department: task.department } },
    el("header", {}, el("strong", {}, `[${task.incident_short_code}] ${task.department_name}`), " ", el("span", { class: `pill status-${task.status}` }, L.task_status[task.status] || task.status), overdue(task) ? el("span", { class: "pill overdue" }, L.overdue) : null),
    el("p", {}, task.text),
    task.contact_hint ? el("p", { class: "muted" }, task.contact_hint) : null,
    el("p", { class: "muted small" }, `⏱ ${clock(task.ack_due)} / ${clock(task.due)}`),
    el("div", { class: "actions" }, options.readOnly ? [] : taskActions(task, L, options)),
  );
}
