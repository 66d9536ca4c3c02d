// The incident room's treatment proposal (issue 14): what to bring to the recommended
// interception space, how much, from which depot, and one confirmed action that requests the
// dispatches (POST /api/incidents/{id}/treatment/dispatch/). Also marks, by the clock, when the
// recommended space can no longer be set up before the front, and warns when a receptor lies
// within the mixing length. DOM is built with text nodes only (el()), never innerHTML.
import { api, el, localName } from "../js/live.js";

const section = document.getElementById("treatment");
const body = document.getElementById("treatment-body");
const T = section.dataset;
const incidentId = section.dataset.incident;
const canCommand = section.dataset.command === "true";
let trace = null;
const english = document.documentElement.lang?.toLowerCase().startsWith("en");

const number = (value, digits = 3) => (value === null || value === undefined ? "—" : String(+value.toFixed(digits)));

// Minutes left to set up the space before its front, counted from now (front_at is absolute).
function minutesLeft(space) {
  if (!space || !space.front_at) return null;
  return (new Date(space.front_at).getTime() - Date.now()) / 60000 - (space.setup_minutes || 0);
}

function spaceLine(space) {
  const parts = [`${T.lSpace}: ${space.name}`];
  if (space.capacity_short_m3) parts.push(`${T.lShortCapacity} ${number(space.capacity_short_m3, 0)} m³`);
  if (space.setup_unknown) parts.push(T.lSetupUnknown);
  const left = minutesLeft(space);
  const line = el("p", {}, parts.join(" · "));
  if (left !== null && left < 0) line.append(el("strong", { class: "error" }, ` ${T.lTooLate}`));
  return line;
}

function itemRow(line) {
  const depots = line.depots.length
    ? line.depots.map((d) => `${d.name} ${number(d.take)} (${number(d.road_minutes, 0)} min)`).join("; ")
    : "—";
  return el(
    "tr",
    {},
    el("td", {}, String(line.step)),
    el("td", {}, localName({ name: line.measure, name_en: line.measure_en })),
    el("td", {}, localName({ name: line.item_name, name_en: line.item_name_en }) || line.item),
    el("td", {}, `${number(line.quantity)} ${(english && line.unit_en) || line.unit || ""}`),
    el("td", {}, depots),
    el("td", { class: line.short ? "error" : "" }, line.short ? number(line.short) : "0"),
  );
}

function render() {
  const nodes = [];
  const unmixed = (trace?.downstream || []).some((e) => e.kind === "receptor" && e.fully_mixed === false);
  if (unmixed) nodes.push(el("p", { class: "error" }, T.lUnmixed));
  const space = trace?.recommended_space;
  const treatment = trace?.treatment;
  if (!space || !treatment) {
    nodes.push(el("p", { class: "muted" }, T.lNone));
    body.replaceChildren(...nodes);
    return;
  }
  nodes.push(spaceLine(space));
  nodes.push(el("p", { class: "muted" }, `${T.lWater}: ${number(treatment.water_m3, 0)} m³`));
  const head = el(
    "tr",
    {},
    ...[T.lStep, T.lMeasure, T.lItem, T.lQuantity, T.lDepots, T.lShort].map((text) => el("th", {}, text)),
  );
  nodes.push(el("table", { class: "grid" }, el("thead", {}, head), el("tbody", {}, ...treatment.items.map(itemRow))));
  if (canCommand) {
    const status = el("p", { role: "status" });
    const button = el("button", { type: "button" }, T.lConfirm);
    button.addEventListener("click", async () => {
      if (!window.confirm(T.lConfirmAsk)) return;
      button.disabled = true;
      try {
        const made = await api(`/api/incidents/${incidentId}/treatment/dispatch/`, { method: "POST" });
        status.textContent = `${T.lDone}: ${made.length}`;
      } catch (e) {
        status.textContent = `${T.lError}: ${e.message}`;
        button.disabled = false;
      }
    });
    nodes.push(button, status);
  }
  body.replaceChildren(...nodes);
}

async function load() {
  try {
    trace = (await api(`/api/incidents/${incidentId}/`)).trace;
    render();
  } catch (e) {
    body.replaceChildren(el("p", { class: "error" }, `${T.lError}: ${e.message}`));
  }
}

load();
// The clock moves: re-mark the space as too late without asking the server again.
setInterval(() => trace && render(), 60_000);
