// The MSEL table editor: edit pending injects in place, add and delete rows, import a file,
// reschedule or cancel the drill. Every change goes through the drills API.
import { api, csrfToken, el, labels } from "../js/live.js";

const L = labels();
const table = document.getElementById("msel");
const drill = table.dataset.drill;
const editable = table.dataset.editable === "1";
const departments = JSON.parse(document.getElementById("department-options").textContent);
const errors = document.getElementById("msel-errors");
// The drill's objectives: an inject names one of them (chosen, never retyped) so the report counts it.
const objectives = JSON.parse(document.getElementById("objective-options")?.textContent || "[]");
const FIELDS = ["number", "offset_minutes", "from", "to", "message", "expected_action", "objective", "ack_minutes", "complete_minutes"];
const NUMBERS = new Set(["number", "offset_minutes", "ack_minutes", "complete_minutes"]);

function departmentSelect(value) {
  const select = el("select", { "data-field": "to" });
  for (const d of departments) select.append(el("option", { value: d.code, selected: d.code === value }, d.name));
  return select;
}

function objectiveSelect(value) {
  const select = el("select", { "data-field": "objective" }, el("option", { value: "" }, "—"));
  for (const text of objectives) select.append(el("option", { value: text, selected: text === value }, text));
  return select;
}

function rowBody(row) {
  const body = {};
  for (const field of FIELDS) {
    const cell = row.querySelector(`[data-field="${field}"]`);
    if (!cell) continue;
    const select = cell.querySelector("select");
    let value = select ? select.value : cell.textContent.trim();
    if (NUMBERS.has(field)) value = value === "" ? null : Number(value);
    if (field === "number" && value === null) continue;
    body[field] = value;
  }
  return body;
}

function showErrors(error) {
  errors.textContent = error.data && typeof error.data === "object"
    ? Object.entries(error.data).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(" ") : JSON.stringify(v)}`).join("; ")
    : error.message;
}

function makeEditable(row) {
  if (row.classList.contains("locked") || row.classList.contains("empty")) return;
  for (const cell of row.querySelectorAll("[data-field]")) {
    if (cell.dataset.field === "to") {
      const value = cell.dataset.value;
      cell.textContent = "";
      cell.append(departmentSelect(value));
    } else if (cell.dataset.field === "objective") {
      const value = cell.textContent.trim();
      cell.textContent = "";
      cell.append(objectiveSelect(value));
    } else {
      cell.contentEditable = "true";
    }
  }
  const actions = row.lastElementChild;
  actions.append(
    el("button", { type: "button", onclick: () => save(row) }, L.save),
    el("button", { type: "button", class: "danger", onclick: () => remove(row) }, L.delete),
  );
}

async function save(row) {
  errors.textContent = "";
  try {
    const body = rowBody(row);
    const saved = row.dataset.id
      ? await api(`/api/drills/${drill}/injects/${row.dataset.id}/`, { method: "PATCH", body })
      : await api(`/api/drills/${drill}/injects/`, { method: "POST", body });
    row.dataset.id = saved.id;
    row.querySelector('[data-field="number"]').textContent = saved.number;
    row.classList.add("saved");
  } catch (error) {
    showErrors(error);
  }
}

async function remove(row) {
  if (row.dataset.id) {
    try {
      await api(`/api/drills/${drill}/injects/${row.dataset.id}/`, { method: "DELETE" });
    } catch (error) {
      showErrors(error);
      return;
    }
  }
  row.remove();
}

function addRow() {
  table.querySelector("tr.empty")?.remove();
  const row = el("tr", {}, ...FIELDS.map((f) => el("td", { "data-field": f, "data-value": departments[0]?.code })), el("td"), el("td"));
  table.tBodies[0].append(row);
  makeEditable(row);
}

if (editable) {
  table.querySelectorAll("tbody tr").forEach(makeEditable);
  document.getElementById("add-row")?.addEventListener("click", addRow);
}

document.getElementById("msel-import")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  errors.textContent = "";
  const response = await fetch(`/api/drills/${drill}/msel/`, {
    method: "POST", body: new FormData(event.target), credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
  });
  const data = await response.json();
  if (response.ok) location.reload();
  else errors.textContent = (data.file || [JSON.stringify(data)]).join("\n");
});

document.getElementById("reschedule-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = new FormData(event.target).get("scheduled_start");
  try {
    await api(`/api/drills/${drill}/reschedule/`, { method: "POST", body: { scheduled_start: value } });
    location.reload();
  } catch (error) {
    showErrors(error);
  }
});

document.getElementById("cancel-drill")?.addEventListener("click", async () => {
  if (!confirm(L.confirm_cancel)) return;
  try {
    await api(`/api/drills/${drill}/cancel/`, { method: "POST", body: {} });
    location.reload();
  } catch (error) {
    showErrors(error);
  }
});
