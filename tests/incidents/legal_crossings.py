"""Computed boundary crossings as the trace will answer them (the shape agreed with the geo work:
plans.tracing adds `boundary_crossings` beside `downstream`). Tests build them directly."""

from __future__ import annotations

XINZHOU = {"code": "140900", "name": "忻州市"}
YANGQUAN = {"code": "140300", "name": "阳泉市"}
HEBEI = {"code": "130000", "name": "河北省"}


def crossing(level, basis, *, to_area=YANGQUAN, from_area=XINZHOU, hours=33.0, notify=()):
    return {
        "level": level, "from_area": from_area, "to_area": to_area, "river": "hutuo-t", "distance_m": 60_000.0,
        "arrival_hours": hours, "front_hours": hours - 3, "peak_mg_l": None, "limit_mg_l": None, "exceeds": None,
        "basis": basis, "notify": list(notify),
    }  # fmt: skip
