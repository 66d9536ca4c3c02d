"""The plan's map as server-side SVG, for the PDF (WeasyPrint runs no JavaScript, so the
Leaflet map of the HTML page cannot be printed into it). Same symbols as the web map."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

SYMBOL_COLOURS = {
    "section": "#1f6feb",
    "receptor": "#2da44e",
    "boundary": "#8250df",
    "space": "#e3891a",
    "risk_source": "#cf222e",
}


def _symbol(kind: str, x: float, y: float) -> str:
    colour = SYMBOL_COLOURS.get(kind, "#333")
    common = f'fill="{colour}" stroke="#fff" stroke-width="1.2"'
    if kind == "section":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" {common}/>'
    if kind in ("receptor", "boundary"):
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" {common}/>'
    if kind == "space":
        corners = [(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)]  # a diamond
    else:
        corners = [(x, y - 7), (x + 7, y + 5), (x - 7, y + 5)]  # a triangle: risk source
    path = " L".join(f"{cx:.1f} {cy:.1f}" for cx, cy in corners)
    return f'<path d="M{path} Z" {common}/>'


def river_svg(rivers, features, *, focus_code: str | None = None, width: int = 680, height: int = 440) -> str:
    """Rivers (focus bold) and features in an equirectangular frame scaled by cos(latitude),
    which keeps shapes true at this extent; no tiles, no scripts."""
    points = [c for r in rivers for c in r.geometry.coords] + [f.location.coords for f in features]
    if not points:
        return ""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * squeeze, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    margin = 24
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return margin + (lon - min(lons)) * squeeze * scale, margin + (max(lats) - lat) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="Noto Sans CJK SC, sans-serif" font-size="9">',
        f'<rect width="{width}" height="{height}" fill="#eef3f7"/>',
    ]
    for river in rivers:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*c) for c in river.geometry.coords))
        bold = focus_code is None or river.code == focus_code
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{"#0b5d8c" if bold else "#3b8fd0"}" '
            f'stroke-width="{4 if bold else 2.5}" stroke-linejoin="round" stroke-linecap="round"/>'
        )
        sx, sy = xy(*river.geometry.coords[0])
        parts.append(
            f'<text x="{sx + 6:.1f}" y="{sy - 6:.1f}" font-size="11" fill="#0b5d8c">{escape(river.name)}</text>'
        )
    for feature in features:
        kind = "boundary" if feature.receptor_type == "boundary" else feature.kind
        x, y = xy(*feature.location.coords)
        parts.append(_symbol(kind, x, y))
        parts.append(f'<text x="{x + 8:.1f}" y="{y + 3:.1f}" fill="#1d2733">{escape(feature.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
