// The timeline as sentences in the page's language. Sentences come from the page's labels
// (translated on the server, backend/incidents/views.py _screen_labels); a type without its own
// sentence reads as its registry label from GET /api/event-types/ (backend/eventtypes.py).
// SMS statuses fold into one line per round with counts: a round is the SMS that follow what
// sends them (an opening, new tasks, a plan, an escalation); acknowledgements and notes between
// its statuses do not split it, and its line keeps its place while its counts move.
import { el } from "./live.js";

const HIGHLIGHT = new Set(["note", "level_changed", "resource_requested", "resource_dispatched", "resource_updated", "closed", "reopened", "escalated"]);
const SENT = new Set(["accepted", "sent", "delivered", "undelivered"]);
const FAILED = new Set(["failed", "undelivered"]);
const ROUND_STARTS = new Set(["opened", "task_created", "task_reassigned", "plan_activated", "escalated", "reopened"]);

function fill(template, values) {
  return template.replace(/%\(([a-z_]+)\)s/g, (_, key) => (values[key] ?? "—").toString());
}

export class Timeline {
  // list: the <ol>; L: the page's labels (with L.departments code → name); typeLabels: name → label.
  constructor(list, L, typeLabels = {}) {
    Object.assign(this, { list, L, typeLabels });
    this.round = null; // {node, statuses: Map(notification → status)} while SMS events follow each other
  }

  department(code) {
    return (this.L.departments && this.L.departments[code]) || code || "";
  }

  sentence(event) {
    const L = this.L;
    const d = event.data || {};
    const label = this.typeLabels[event.event_type] || event.event_type;
    // The three dispatch steps share one sentence after their own label.
    const template = L.s && (L.s[event.event_type] || (event.event_type.startsWith("resource_") ? L.s.resource : null));
    if (!template) {
      const detail = d.text || d.summary || d.message || d.title || (d.department ? this.department(d.department) : "");
      return detail ? `${label}: ${detail}` : label;
    }
    const values = { ...d, label, department: this.department(d.department), from: this.department(d.from) };
    if (event.event_type === "level_changed") Object.assign(values, { from: L.level[d.from] || d.from, to: L.level[d.to] || d.to });
    if (event.event_type === "status_changed") Object.assign(values, { from: L.status[d.from] || d.from, to: L.status[d.to] || d.to });
    if (event.event_type === "opened") values.level = L.level[d.level] || d.level;
    let text = fill(template, values);
    if (d.late) text += ` ${L.s.late}`;
    return text;
  }

  // A new event at the top (the list is newest first).
  add(event) {
    if (event.event_type === "sms_status") {
      this.addSms(event);
      return;
    }
    if (ROUND_STARTS.has(event.event_type)) this.round = null;
    this.list.prepend(this.item(event));
  }

  item(event) {
    const time = new Date(event.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    const d = event.data || {};
    const strong = HIGHLIGHT.has(event.event_type) || (event.event_type === "task_completed" && d.note);
    return el("li", { class: strong ? "event highlight" : "event", dataset: { seq: event.seq, type: event.event_type } },
      el("span", { class: "muted" }, time), " ",
      el("span", { class: "sentence" }, this.sentence(event)),
      event.actor ? el("span", { class: "muted" }, ` · ${event.actor}`) : null,
      event.event_type === "task_completed" && d.note ? el("blockquote", { class: "completion-note" }, fill(this.L.s.completion_note, d)) : null);
  }

  addSms(event) {
    const L = this.L;
    if (!this.round) {
      this.round = { statuses: new Map(), node: el("li", { class: "event sms-round", dataset: { seq: event.seq, type: "sms_round" } }), first: event.at };
      this.list.prepend(this.round.node);
    }
    const round = this.round;
    round.statuses.set(event.data.notification, event.data.status);
    const counts = { total: round.statuses.size, sent: 0, delivered: 0, failed: 0 };
    for (const status of round.statuses.values()) {
      if (SENT.has(status)) counts.sent += 1;
      if (status === "delivered") counts.delivered += 1;
      if (FAILED.has(status)) counts.failed += 1;
    }
    const time = new Date(round.first).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    round.node.dataset.last = event.seq;
    round.node.replaceChildren(
      el("span", { class: "muted" }, time), " ",
      el("span", { class: "sentence" }, `${fill(L.sms_round, counts)} · ${fill(L.sms_counts, counts)}`),
    );
  }
}
