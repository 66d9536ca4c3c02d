// A liaison's view on a phone: the department's open tasks across incidents, live.
import { api, el, labels, LiveSocket } from "../js/live.js";
import { taskCard } from "./tasks.js";

const L = labels();
const root = document.getElementById("tasks");
const department = root.dataset.department;
const message = document.getElementById("message");
let timer = null;

async function load() {
  if (!department) return;
  const [real, drills] = await Promise.all([
    api(`/api/tasks/?department=${department}&open=true&page_size=200`),
    api(`/api/tasks/?department=${department}&open=true&exercise=true&page_size=200`),
  ]);
  const cards = [...real.results, ...drills.results].map((task) =>
    taskCard(task, L, { onDone: load, onError: (e) => (message.textContent = `${L.error}: ${e.message}`) }),
  );
  root.replaceChildren(...(cards.length ? cards : [el("p", { class: "muted" }, L.no_tasks)]));
}

load();
new LiveSocket("/ws/board/", {
  onMessage: () => { clearTimeout(timer); timer = setTimeout(load, 200); },
  onState: (s) => {
    const banner = document.getElementById("live-state");
    banner.textContent = s === "online" ? L.online : L.offline;
    banner.className = `live-state ${s}`;
  },
});
