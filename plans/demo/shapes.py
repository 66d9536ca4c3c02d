"""Demo geometry helpers: turn a few key points into a river-like polyline."""

from __future__ import annotations

import math


def meander(keypoints: list[tuple[float, float]], *, per_segment: int = 8, seed: int = 0) -> list[tuple[float, float]]:
    """Insert vertices between key points with a gentle sideways wiggle (a few hundred metres),
    keeping every key point in place so features placed near them stay plausible."""
    coords: list[tuple[float, float]] = [keypoints[0]]
    for index, ((x0, y0), (x1, y1)) in enumerate(zip(keypoints, keypoints[1:], strict=False)):
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length, dx / length  # unit normal (degrees, fine for a drawing)
        amplitude = min(0.006, 0.08 * length)
        for j in range(1, per_segment + 1):
            t = j / per_segment
            wiggle = amplitude * math.sin(math.pi * t * (2 + (index + seed) % 2)) if j < per_segment else 0.0
            coords.append((round(x0 + dx * t + nx * wiggle, 6), round(y0 + dy * t + ny * wiggle, 6)))
    return coords


def point_at(coords: list[tuple[float, float]], fraction: float) -> tuple[float, float]:
    """The point at `fraction` of the polyline's (planar) length: where a demo feature goes.
    Only for placing demo points; chainages are measured geodesically by the services."""
    segments = [math.dist(a, b) for a, b in zip(coords, coords[1:], strict=False)]
    target = max(0.0, min(1.0, fraction)) * sum(segments)
    for (a, b), length in zip(zip(coords, coords[1:], strict=False), segments, strict=False):
        if target <= length and length > 0:
            t = target / length
            return (round(a[0] + (b[0] - a[0]) * t, 6), round(a[1] + (b[1] - a[1]) * t, 6))
        target -= length
    return coords[-1]
