"""Hand computations of WGS84 distances, independent of PostGIS, for the expectations."""

from __future__ import annotations

import math

A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)


def meridian_arc_m(lat1: float, lat2: float, steps: int = 2000) -> float:
    """Length of the meridian between two latitudes: a(1−e²)∫(1−e² sin²φ)^−3/2 dφ (Simpson)."""
    lo, hi = sorted((math.radians(lat1), math.radians(lat2)))
    h = (hi - lo) / steps

    def f(phi):
        return (1 - E2 * math.sin(phi) ** 2) ** -1.5

    total = f(lo) + f(hi) + sum((4 if i % 2 else 2) * f(lo + i * h) for i in range(1, steps))
    return A * (1 - E2) * total * h / 3


def parallel_arc_m(lat: float, lon1: float, lon2: float) -> float:
    """Along a parallel (differs from the geodesic by < 1e-6 relative at these lengths)."""
    phi = math.radians(lat)
    n = A / math.sqrt(1 - E2 * math.sin(phi) ** 2)
    return n * math.cos(phi) * math.radians(abs(lon2 - lon1))


def lat_south_of(lat: float, distance_m: float) -> float:
    """The latitude `distance_m` south of `lat` on a meridian (Newton on meridian_arc_m)."""
    guess = lat - distance_m / 111_000
    for _ in range(6):
        guess -= (distance_m - meridian_arc_m(guess, lat)) / 110_990
    return guess
