// Coordinates typed the ways people type them, read into {lon, lat} or {error}.
//   decimal degrees separated by a comma or spaces: "113.86, 39.17", "39.17 113.86"
//   degrees-minutes-seconds with hemispheres:        "113°51′44″E 39°10′36″N", "N39°10'36\" E113°51'44\""
// Either order: a hemisphere letter decides, else the range (a latitude is at most 90°).
// A decimal comma ("113,867") is not a format: it reads as two numbers and is refused with a hint.
// error is one of: empty, unreadable, decimal_comma, ambiguous, range.

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const DMS = new RegExp(
  String.raw`([NSEW])?\s*(-?${NUMBER})\s*[°度]\s*(?:(${NUMBER})\s*['′分]\s*)?(?:(${NUMBER})\s*["″秒]\s*)?([NSEW])?`,
  "gi",
);

function normalise(text) {
  return text
    .trim()
    .replace(/，/g, ",")
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/″|''/g, '"')
    .replace(/北纬/g, "N")
    .replace(/东经/g, "E")
    .replace(/南纬/g, "S")
    .replace(/西经/g, "W");
}

function readDms(text) {
  const parts = [];
  let rest = text;
  for (const m of text.matchAll(DMS)) {
    const [whole, before, deg, min, sec, after] = m;
    const hemisphere = (before || after || "").toUpperCase();
    const degrees = Number(deg);
    if ((min && Number(min) >= 60) || (sec && Number(sec) >= 60)) return null;
    let value = Math.abs(degrees) + Number(min || 0) / 60 + Number(sec || 0) / 3600;
    if (degrees < 0 || hemisphere === "S" || hemisphere === "W") value = -value;
    parts.push({ value, axis: hemisphere === "N" || hemisphere === "S" ? "lat" : hemisphere ? "lon" : null });
    rest = rest.replace(whole, " ");
  }
  // Anything left but separators means a piece we did not understand.
  if (parts.length !== 2 || /[^\s,;]/.test(rest)) return null;
  return parts;
}

function readDecimal(text) {
  const pieces = text.split(/\s*[,;]\s*|\s+/).filter(Boolean);
  if (pieces.length !== 2 || !pieces.every((p) => /^[+-]?\d+(?:\.\d+)?$/.test(p))) return null;
  return pieces.map((p) => ({ value: Number(p), axis: null }));
}

export function parseCoordinates(input) {
  const text = normalise(String(input || ""));
  if (!text) return { error: "empty" };
  const dms = /[°度'′"″分秒]/.test(text);
  const parts = dms ? readDms(text) : readDecimal(text);
  if (!parts) return { error: "unreadable" };
  const decimalComma = !dms && /^\d+,\d+$/.test(text);
  let [a, b] = parts;
  if (a.axis && b.axis) {
    if (a.axis === b.axis) return { error: "unreadable" };
  } else if (a.axis || b.axis) {
    const known = a.axis ? a : b;
    (known === a ? b : a).axis = known.axis === "lat" ? "lon" : "lat";
  } else if (Math.abs(a.value) > 90 && Math.abs(b.value) <= 90) {
    [a.axis, b.axis] = ["lon", "lat"];
  } else if (Math.abs(b.value) > 90 && Math.abs(a.value) <= 90) {
    [a.axis, b.axis] = ["lat", "lon"];
  } else if (Math.abs(a.value) <= 90 && Math.abs(b.value) <= 90) {
    return { error: "ambiguous" };
  } else {
    return { error: decimalComma ? "decimal_comma" : "range" };
  }
  const lon = a.axis === "lon" ? a.value : b.value;
  const lat = a.axis === "lat" ? a.value : b.value;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return { error: decimalComma ? "decimal_comma" : "range" };
  return { lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
}
