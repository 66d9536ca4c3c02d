// One way for every live page to run an action: the button shows it is working and cannot be
// pressed twice; the result (success or error) appears beside the control that caused it, in
// the page's language (the server translates its messages); DRF's per-field 400 errors go to
// the field they name; a later success clears an earlier error.
import { el } from "./live.js";

// The text an error carries: 400 {"field": [...]}, 409 {"error", ...}, 422/403 {"detail"}.
export function errorText(error, fallback) {
  const data = error && error.data;
  if (data && typeof data === "object" && !Array.isArray(data)) {
    if (typeof data.detail === "string") return data.detail;
    if (typeof data.error === "string") return data.error;
    const parts = Object.values(data).flat().filter((v) => typeof v === "string");
    if (parts.length) return parts.join(" ");
  }
  if (error && error.status === undefined) return fallback; // network: the message is the browser's
  return (error && error.message) || fallback;
}

// The result slot beside a control: created once, at the end of its form (or of the group of
// buttons it sits in, or right after it when `beside`).
export function resultSlot(control, { beside = false } = {}) {
  if (beside) {
    const next = control.nextElementSibling;
    if (next && next.classList.contains("action-result")) return next;
    const slot = el("span", { class: "action-result", role: "status", "aria-live": "polite" });
    control.after(slot);
    return slot;
  }
  const owner = control.closest("form") || control.parentElement;
  let slot = owner.querySelector(":scope > .action-result");
  if (!slot) {
    slot = el(owner.tagName === "FORM" ? "p" : "span", { class: "action-result", role: "status", "aria-live": "polite" });
    owner.append(slot);
  }
  return slot;
}

function clearFieldErrors(form) {
  if (!form) return;
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// Puts each field's messages under the input of that name; returns the messages left over.
function showFieldErrors(form, data) {
  if (!form || !data || typeof data !== "object" || Array.isArray(data)) return data;
  const rest = {};
  for (const [name, messages] of Object.entries(data)) {
    const input = form.elements.namedItem(name);
    const text = [messages].flat().filter((m) => typeof m === "string").join(" ");
    if (input && input.nodeType === 1 && text) {
      input.setAttribute("aria-invalid", "true");
      (input.closest("label") || input).after(el("span", { class: "field-error", dataset: { field: name } }, text));
    } else {
      rest[name] = messages;
    }
  }
  return rest;
}

// run(button, work, {ok, fail, form}): `work()` returns a promise; `ok(result)` is the success
// text (or null for none); `fail` the fallback error text; `form: null` puts the result right
// beside the button even inside a form (a button in a list of results).
export async function run(button, work, { ok = null, fail = "", form = button.closest("form") } = {}) {
  if (button.disabled || button.getAttribute("aria-busy") === "true") return undefined;
  const slot = resultSlot(button, { beside: form === null });
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.classList.add("working");
  slot.className = "action-result working";
  slot.textContent = "…";
  clearFieldErrors(form);
  try {
    const result = await work();
    const text = typeof ok === "function" ? ok(result) : ok;
    slot.className = "action-result ok";
    slot.textContent = text || "";
    return result;
  } catch (error) {
    const rest = error && error.status === 400 ? showFieldErrors(form, error.data) : error && error.data;
    const leftover = error && error.status === 400 && rest && !Object.keys(rest).length;
    slot.className = "action-result error";
    slot.textContent = leftover ? "" : errorText({ ...error, data: rest, message: error && error.message }, fail);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.classList.remove("working");
  }
}

// A form whose submit runs an action: its submit button is the control.
export function onSubmit(form, work, options = {}) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    run(button, () => work(form.elements, form), { ...options, form });
  });
}
