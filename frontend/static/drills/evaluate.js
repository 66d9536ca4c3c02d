// The evaluator's page (made for a tablet): rate each task P/S/M/U with notes and the observed
// times (pre-filled from the event log), and add observations.
import { api, el, labels } from "../js/live.js";

const L = labels();
const root = document.getElementById("evaluations");
const drill = root.dataset.drill;

function isoOrNull(value) {
  // datetime-local has no offset: the browser's local time is the bureau's (Asia/Shanghai).
  return value ? new Date(value).toISOString() : null;
}

for (const form of root.querySelectorAll("form.eval-card")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const state = form.querySelector(".saved-state");
    try {
      await api(`/api/drills/${drill}/evaluations/`, {
        method: "POST",
        body: {
          task: Number(form.dataset.task), rating: data.get("rating"), notes: data.get("notes") || "",
          observed_ack_at: isoOrNull(data.get("observed_ack_at")),
          observed_complete_at: isoOrNull(data.get("observed_complete_at")),
        },
      });
      state.textContent = `✓ ${L.saved}`;
      form.classList.add("rated");
    } catch (error) {
      state.textContent = error.data ? JSON.stringify(error.data) : error.message;
    }
  });
}

document.getElementById("observation").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(event.target));
  if (!body.department) delete body.department;
  try {
    const saved = await api(`/api/drills/${drill}/observations/`, { method: "POST", body });
    const kind = event.target.querySelector(`input[name=kind][value="${saved.kind}"]`)?.dataset.label || saved.kind;
    document.getElementById("observation-list").append(el("li", {}, el("span", { class: "pill" }, kind), " ", saved.text));
    event.target.reset();
  } catch (error) {
    alert(error.data ? JSON.stringify(error.data) : error.message);
  }
});
