"""GCJ-02 ("Mars coordinates", the offset datum of Chinese web maps such as AMap) ↔ WGS-84.

The forward transform is the published obfuscation polynomial (Krasovsky ellipsoid constants);
it has no closed-form inverse, so `to_wgs84` inverts it by fixed-point iteration: start at the
GCJ point, move by the residual of the forward transform until it is below 1e-9° (≈ 0.1 mm).
The usual one-step "subtract the offset at the GCJ point" is off by up to a few metres; the
iteration converges in 3–5 steps to the exact inverse of `to_gcj02`.
"""

from __future__ import annotations

import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the transform uses it
_EE = 0.00669342162296594323  # its first eccentricity squared


def _offset_lat(x: float, y: float) -> float:
    value = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    value += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    value += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return value


def _offset_lon(x: float, y: float) -> float:
    value = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    value += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    value += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return value


def to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (the forward transform, defined inside China)."""
    x, y = lon - 105.0, lat - 35.0
    d_lat, d_lon = _offset_lat(x, y), _offset_lon(x, y)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def to_wgs84(lon: float, lat: float, *, tolerance: float = 1e-9, max_steps: int = 30) -> tuple[float, float]:
    """GCJ-02 → WGS-84: the point whose forward transform is (lon, lat)."""
    w_lon, w_lat = lon, lat
    for _step in range(max_steps):
        g_lon, g_lat = to_gcj02(w_lon, w_lat)
        d_lon, d_lat = g_lon - lon, g_lat - lat
        w_lon, w_lat = w_lon - d_lon, w_lat - d_lat
        if abs(d_lon) < tolerance and abs(d_lat) < tolerance:
            break
    return w_lon, w_lat
