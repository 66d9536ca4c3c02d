// Task cards with the actions the user may take; shared by the department view and the room.
// Actions go through js/actions.js: the result shows beside the button that caused it.
import { api, el } from "../js/live.js";
import { run } from "../js/actions.js";

export function overdue(task, now = Date.now()) {
  if (["done", "cancelled"].includes(task.status)) return false;
  return (task.status === "pending" && new Date(task.ack_due) < now) || (task.due && new Date(task.due) < now);
}

function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "—";
}

// A reporting deadline is done when someone has reported: who, to whom, how (telephone first,
// then written) and when (now). Asked in an inline form beside the task (no prompt()).
function reportFields(L) {
  return [
    el("label", {}, L.reported_by, " ", el("input", { type: "text", name: "reported_by", maxlength: 100, required: true })),
    el("label", {}, L.reported_to, " ", el("input", { type: "text", name: "reported_to", maxlength: 300, required: true })),
    el("label", {}, L.via, " ",
      el("select", { name: "via" }, el("option", { value: "telephone" }, L.via_telephone), el("option", { value: "written" }, L.via_written))),
  ];
}

function reportBody(form) {
  const to = form.elements.reported_to.value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
  return { reported_by: form.elements.reported_by.value.trim(), reported_to: to, via: form.elements.via.value };
}

// "07:38 (还剩 12 分钟)" / "07:38 (超时 3 分钟)"; no countdown once the step is done or closed.
export function dueText(iso, L, { counting = true } = {}) {
  if (!iso) return "—";
  if (!counting) return clock(iso);
  const minutes = Math.round((new Date(iso) - Date.now()) / 60000);
  const span = (m) => (m < 90 ? `${m} ${L.minutes}` : `${(m / 60).toFixed(1)} ${L.hours}`);
  return minutes >= 0 ? `${clock(iso)} (${L.left} ${span(minutes)})` : `${clock(iso)} (${L.late_by} ${span(-minutes)})`;
}

// The two labelled deadlines; the acknowledgement one counts down only while unacknowledged.
export function deadlines(task, L, { closed = false } = {}) {
  const open = !closed && !["done", "cancelled"].includes(task.status);
  return el("dl", { class: "deadlines" },
    el("dt", {}, L.ack_by), el("dd", { class: "ack-due" }, dueText(task.ack_due, L, { counting: open && task.status === "pending" })),
    el("dt", {}, L.due_by), el("dd", { class: "due" }, dueText(task.due, L, { counting: open })));
}

export function taskActions(task, L, { canCommand = false, onDone } = {}) {
  const act = (button, path, body) =>
    run(button, () => api(`/api/tasks/${task.id}/${path}/`, { method: "POST", body }), { ok: L.done_ok, fail: L.error }).then((result) => {
      if (result) onDone?.(result);
      return result;
    });
  const button = (action, text, handler, primary = false) =>
    el("button", { type: "button", class: primary ? "primary" : "", dataset: { action }, onclick: (e) => handler(e.currentTarget) }, text);
  const buttons = [];
  if (task.status === "pending") buttons.push(button("acknowledge", L.acknowledge, (b) => act(b, "acknowledge"), true));
  if (["pending", "acknowledged"].includes(task.status)) buttons.push(button("start", L.start, (b) => act(b, "start")));
  if (["pending", "acknowledged", "in_progress"].includes(task.status)) {
    buttons.push(button("complete", L.complete, (b) => toggleComplete(b, task, L, act)));
    if (canCommand) {
      buttons.push(button("reassign", L.reassign, (b) => toggleReassign(b, task, L, act, { choose: true })));
    } else if (!task.reassign_requested) {
      buttons.push(button("ask-reassign", L.ask_reassign, (b) => toggleReassign(b, task, L, act, { choose: false })));
    }
  }
  return buttons;
}

// The inline reassign form, opened beside the task by its button (no prompt()): the duty officer
// picks a department (reason optional); a liaison asks with a reason. The result and field errors
// show in the form (js/actions.js); on success the form closes and the result stays beside the
// button. The room keeps an open form across redraws (room.js renderMatrix).
function toggleReassign(opener, task, L, act, { choose }) {
  const cell = opener.closest("[data-task]") || opener.parentElement;
  const open = cell.querySelector(":scope > .reassign-form");
  if (open) {
    open.remove();
    return;
  }
  const departments = Object.entries(L.departments || {}).filter(([code]) => code !== task.department);
  const submit = el("button", { type: "submit", class: "primary", dataset: { action: "reassign-submit" } }, choose ? L.reassign : L.ask_reassign);
  const form = el("form", { class: "reassign-form" },
    choose ? el("label", {}, L.reassign_to, " ",
      el("select", { name: "department", required: true }, el("option", { value: "" }, "—"), ...departments.map(([code, name]) => el("option", { value: code }, name)))) : null,
    el("label", {}, choose ? L.reassign_reason : L.reason_prompt, " ", el("input", { type: "text", name: "reason", maxlength: 200, required: !choose })),
    submit,
    el("button", { type: "button", class: "link", onclick: () => form.remove() }, L.cancel));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = choose ? { department: form.elements.department.value, reason: form.elements.reason.value } : { reason: form.elements.reason.value };
    const result = await act(submit, "reassign", body);
    if (result === undefined) return; // the error is in the form, beside its fields
    const where = form.closest("[data-task]")?.querySelector(".actions") || form.parentElement;
    form.remove();
    where?.append(el("span", { class: "action-result ok", role: "status" }, L.done_ok));
  });
  cell.append(form);
  (form.elements.department || form.elements.reason).focus();
}

// The inline completion form: an optional note, or for a reporting deadline who reported to
// whom and how. Same behaviour as the reassign form (result beside it, one press).
function toggleComplete(opener, task, L, act) {
  const cell = opener.closest("[data-task]") || opener.parentElement;
  const open = cell.querySelector(":scope > .complete-form");
  if (open) {
    open.remove();
    return;
  }
  const reporting = task.source === "reporting";
  const submit = el("button", { type: "submit", class: "primary", dataset: { action: "complete-submit" } }, L.complete);
  const form = el("form", { class: "complete-form reassign-form" },
    ...(reporting ? reportFields(L) : [el("label", {}, L.note_prompt, " ", el("textarea", { name: "note", rows: 2, maxlength: 2000 }))]),
    submit,
    el("button", { type: "button", class: "link", onclick: () => form.remove() }, L.cancel));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = reporting ? reportBody(form) : { note: form.elements.note.value };
    const result = await act(submit, "complete", body);
    if (result === undefined) return; // the error is in the form, beside its fields
    const where = form.closest("[data-task]")?.querySelector(".actions") || form.parentElement;
    form.remove();
    where?.append(el("span", { class: "action-result ok", role: "status" }, L.done_ok));
  });
  cell.append(form);
  form.querySelector("input, textarea").focus();
}

// The liaison's phone card: what happened, where, what to do, by when, and whether it is a drill.
export function taskCard(task, L, options) {
  const info = task.incident_info || {};
  const [lon, lat] = info.coordinates || [];
  const what = [info.title, info.pollutant, info.mass_kg != null ? `${info.mass_kg} kg` : null].filter(Boolean).join(" · ");
  const river = info.river ? `${info.river}${info.river_km != null ? ` · ${info.river_km} ${L.km_from_source}` : ""}` : "—";
  return el(
    "article",
    { class: `task status-${task.status}${overdue(task) ? " is-overdue" : ""}${info.exercise ? " drill" : ""}`, dataset: { task: task.id, department: task.department, incident: task.incident } },
    el("header", {},
      info.exercise ? el("strong", { class: "drill-mark" }, L.drill_mark) : null,
      el("strong", {}, `[${task.incident_short_code}] `), el("span", { class: "pill" }, task.department_name), " ",
      el("span", { class: `pill status-${task.status}` }, L.task_status[task.status] || task.status),
      overdue(task) ? el("span", { class: "pill overdue" }, L.overdue) : null),
    el("dl", { class: "card-facts" },
      el("dt", {}, L.what), el("dd", { class: "what" }, what || "—"),
      el("dt", {}, L.where), el("dd", { class: "where" }, river,
        lat != null ? el("span", { class: "coords" }, ` · ${lat.toFixed(5)}, ${lon.toFixed(5)} `) : null,
        lat != null ? el("a", { href: `geo:${lat},${lon}`, class: "map-link" }, L.map_link) : null, " ",
        el("a", { href: `/board/incidents/${task.incident}/`, class: "room-link" }, L.open_room)),
      el("dt", {}, L.todo), el("dd", { class: "todo" }, task.text)),
    task.contact_hint ? el("p", { class: "muted" }, task.contact_hint) : null,
    deadlines(task, L),
    el("div", { class: "actions" }, options.readOnly ? [] : taskActions(task, L, options)),
  );
}
