"""GCJ-02 → WGS-84: the iterative inverse of the offset AMap's outlines carry."""

from __future__ import annotations

import math

import pytest

from backend.directory.gcj02 import to_gcj02, to_wgs84

# (WGS-84 lon, lat) → (GCJ-02 lon, lat): reference pairs of the transform as published with
# open implementations (Shanghai, Shenzhen, Beijing).
PAIRS = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
]


def _metres(a, b) -> float:
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_195.0


@pytest.mark.parametrize(("wgs", "gcj"), PAIRS)
def test_reference_pairs_both_ways(wgs, gcj):
    assert _metres(to_gcj02(*wgs), gcj) < 0.01
    assert _metres(to_wgs84(*gcj), wgs) < 0.01


@pytest.mark.parametrize("point", [(112.734, 38.416), (112.549, 37.870), (111.14, 39.38), (113.99, 38.33)])
def test_the_inverse_undoes_the_offset_in_xinzhou(point):
    gcj = to_gcj02(*point)
    # The offset is real (hundreds of metres here), and the inverse removes it to a millimetre,
    # where the one-step inverse (subtracting the offset at the GCJ point) does not.
    assert 100 < _metres(gcj, point) < 1_000
    assert _metres(to_wgs84(*gcj), point) < 0.001
    one_step = (2 * gcj[0] - to_gcj02(*gcj)[0], 2 * gcj[1] - to_gcj02(*gcj)[1])
    assert _metres(one_step, point) > _metres(to_wgs84(*gcj), point)
