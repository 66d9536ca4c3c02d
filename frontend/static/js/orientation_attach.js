// Adds the offline orientation layer (js/orientation.js) to a map a classic script made:
// <script type="module" src=".../orientation_attach.js" data-map="inventoryDepotMapInstance" data-skip="depot">
// waits for window[data-map] (the page's map callback sets it), then draws beneath nothing else.
import { addOrientation } from "./orientation.js";

const tag = document.querySelector("script[data-map][src$='orientation_attach.js']");
const name = tag?.dataset.map;
const skip = (tag?.dataset.skip || "").split(",").filter(Boolean);
let tries = 0;
const wait = setInterval(() => {
  const map = name && window[name];
  if (map || ++tries > 100) {
    clearInterval(wait);
    if (map) addOrientation(window.L, map, { skip }).catch(() => {});
  }
}, 50);
