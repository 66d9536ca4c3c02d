"""Server-side SVG charts for the score page, the AAR and the trends page.

WeasyPrint runs no JavaScript (docs/operations.md, "Traps"), so the charts are drawn here as plain SVG and
inlined into the HTML; the same markup serves the browser pages.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = "font-family=\"'Noto Sans CJK SC', 'Noto Sans', sans-serif\""
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def _svg(width: int, height: int, body: list[str], label: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" {FONT} font-size="11">' + "".join(body) + "</svg>"
    )


def timeline_svg(
    start: datetime,
    end: datetime,
    rows: list[tuple[str, str]],
    marks: list[tuple[datetime, str, str]],
    pauses: list[tuple[datetime, datetime]],
    label: str = "timeline",
) -> SafeString:
    """Injects vs department actions. rows: [(code, name)]; marks: [(at, code, kind)] with kind
    inject | ack | done; pauses are shaded. The x axis is minutes since the start."""
    width, left, right, top, row_h = 720, 140, 20, 24, 28
    height = top + row_h * max(len(rows), 1) + 40
    span = max((end - start).total_seconds(), 60.0)

    def x(at: datetime) -> float:
        return left + (width - left - right) * min(max((at - start).total_seconds() / span, 0), 1)

    body = []
    for pause_start, pause_end in pauses:
        body.append(
            f'<rect x="{x(pause_start):.1f}" y="{top - 6}" width="{max(x(pause_end) - x(pause_start), 1):.1f}" '
            f'height="{row_h * len(rows) + 6}" fill="#eeeeee"/>'
        )
    index = {code: i for i, (code, _name) in enumerate(rows)}
    for i, (_code, name) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(name)}</text>')
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dddddd"/>')
    axis_y = top + row_h * len(rows) + 6
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#555555"/>')
    minutes = span / 60
    step = next(s for s in (1, 2, 5, 10, 15, 30, 60, 120, 240, 100000) if minutes / s <= 10)
    tick = 0
    while tick <= minutes:
        tx = left + (width - left - right) * tick / minutes
        body.append(f'<line x1="{tx:.1f}" y1="{axis_y}" x2="{tx:.1f}" y2="{axis_y + 4}" stroke="#555555"/>')
        body.append(f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle">{tick}</text>')
        tick += step
    body.append(f'<text x="{width - right}" y="{axis_y + 30}" text-anchor="end">{escape(_("min"))}</text>')
    for at, code, kind in marks:
        if code not in index:
            continue
        cx, cy = x(at), top + index[code] * row_h + row_h / 2
        if kind == "inject":
            body.append(
                f'<polygon points="{cx:.1f},{cy - 7:.1f} {cx - 6:.1f},{cy + 5:.1f} {cx + 6:.1f},{cy + 5:.1f}" '
                f'fill="#ff7f0e"><title>{escape(_("inject"))}</title></polygon>'
            )
        elif kind == "ack":
            body.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="#1f77b4">'
                f"<title>{escape(_('acknowledged'))}</title></circle>"
            )
        else:
            body.append(
                f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="#2ca02c">'
                f"<title>{escape(_('done'))}</title></rect>"
            )
    return _svg(width, height, body, label)


def bars_svg(rows: list[tuple[str, float | None]], label: str = "scores", maximum: float = 100) -> SafeString:
    """Horizontal bars, one per department (e.g. its score out of 100)."""
    width, left, bar_h, gap = 560, 140, 18, 8
    height = (bar_h + gap) * max(len(rows), 1) + 10
    body = []
    for i, (name, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        body.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(name)}</text>')
        length = 0 if value is None else (width - left - 60) * max(min(value / maximum, 1), 0)
        color = "#2ca02c" if (value or 0) >= 80 else "#ff7f0e" if (value or 0) >= 60 else "#d62728"
        body.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="{color}"/>')
        text = "—" if value is None else f"{value:.1f}"
        body.append(f'<text x="{left + length + 6:.1f}" y="{y + 13}">{text}</text>')
    return _svg(width, height, body, label)


def trend_svg(labels: list[str], series: dict[str, list[float | None]], label: str, unit: str = "") -> SafeString:
    """One line per series (a department) across drills (labels on the x axis)."""
    width, height, left, right, top, bottom = 720, 280, 50, 130, 15, 40
    values = [v for line in series.values() for v in line if v is not None]
    high = max(values) * 1.1 if values else 1.0
    high = high or 1.0
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i + 0.5) / count

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / high)

    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#555555"/>']
    for fraction in (0, 0.5, 1):
        v = high * fraction
        body.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.0f}{escape(unit)}</text>')
        body.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="#eeeeee"/>')
    for i, text in enumerate(labels):
        body.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(text)}</text>')
    for n, (name, line) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(line) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        body += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}"/>' for px, py in points]
        ly = top + 14 * n + 8
        body.append(f'<rect x="{width - right + 10}" y="{ly - 8}" width="10" height="10" fill="{color}"/>')
        body.append(f'<text x="{width - right + 24}" y="{ly + 1}">{escape(name)}</text>')
    return _svg(width, height, body, label)
