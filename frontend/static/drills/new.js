// The scheduling form: gathers the fields into the API's JSON and posts to /api/drills/.
import { api } from "../js/live.js";

const form = document.getElementById("new-drill");
const errors = document.getElementById("errors");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const body = {
    title: data.get("title"), form: data.get("form"), scope: data.get("scope"), plan: Number(data.get("plan")),
    location: { type: "Point", coordinates: [Number(data.get("lon")), Number(data.get("lat"))] },
    pollutant: data.get("pollutant") || null, mass_kg: data.get("mass_kg") ? Number(data.get("mass_kg")) : null,
    narrative: data.get("narrative"), departments: data.getAll("departments"),
    scheduled_start: new Date(data.get("scheduled_start")).toISOString(),
    duration_minutes: Number(data.get("duration_minutes") || 120),
    evaluators: data.getAll("evaluators"), observers: data.getAll("observers"),
    objectives: data.get("objectives") || "", live_stock_exercise: data.get("live_stock_exercise") === "on",
  };
  try {
    const drill = await api("/api/drills/", { method: "POST", body });
    location.href = `/drills/${drill.id}/`;
  } catch (error) {
    errors.textContent = error.data
      ? Object.entries(error.data).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ")
      : error.message;
  }
});
