#!/usr/bin/env python
"""Benchmark of the nearest-depot search (issue 4): 1,000 depots, 200 items, 100,000 lots.

Standalone: creates its own database (erc_bench_inventory, with PostGIS), migrates it, bulk
inserts the data, then times `inventory.queries.nearest_depots` (the function behind
GET /api/depots/nearest/) and the HTTP endpoint itself over random points in Xinzhou.
Target: median under 20 ms. The database is dropped at the end unless --keep is given.

    .venv/bin/python tests/bench/bench_nearest.py [--points 200] [--keep]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import benchdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BENCH_DB = "erc_bench_inventory"
benchdb.use_database(BENCH_DB)

import django  # noqa: E402

django.setup()

from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

DEPOTS, ITEMS, LOTS = 1_000, 200, 100_000
# Xinzhou, roughly (docs/domain.md): 110.9–114.0 E, 38.1–39.7 N.
WEST, EAST, SOUTH, NORTH = 110.9, 114.0, 38.1, 39.7


def build(rng: random.Random) -> list:
    from inventory.models import Depot, Item, Lot

    levels = [c for c, _ in Depot.Level.choices]
    categories = [c for c, _ in Item.Category.choices]
    Depot.objects.bulk_create(
        Depot(
            code=f"BENCH-{n:04d}",
            name=f"储备库 {n}",
            level=rng.choice(levels),
            location=Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326),
        )
        for n in range(DEPOTS)
    )
    Item.objects.bulk_create(
        Item(
            code=f"item-{n:03d}",
            name=f"物资 {n}",
            category=rng.choice(categories),
            unit="t",
            shelf_life_days=rng.choice([None, 365, 730]),
        )
        for n in range(ITEMS)
    )
    depot_ids = list(Depot.objects.values_list("pk", flat=True))
    items = list(Item.objects.all())
    today = timezone.localdate()
    lots = []
    for n in range(LOTS):
        quantity = Decimal(rng.randint(1, 200))
        roll = rng.random()
        expires = None if roll < 0.3 else today + timedelta(days=rng.randint(-120, 900))
        reserved = Decimal(rng.randint(0, int(quantity))) if rng.random() < 0.1 else Decimal(0)
        lots.append(
            Lot(
                depot_id=rng.choice(depot_ids),
                item=rng.choice(items),
                code=f"L{n:06d}",
                quantity=quantity,
                reserved=reserved,
                received_on=today - timedelta(days=rng.randint(0, 700)),
                expires_on=expires,
            )
        )
    # The benchmark measures the search, so lots are inserted directly (no ledger lines).
    Lot.objects.bulk_create(lots, batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return items


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(label: str, timings: list[float]) -> float:
    median = statistics.median(timings)
    print(
        f"{label:<34} n={len(timings)}  median {median:6.2f} ms  p95 {percentile(timings, 0.95):6.2f} ms"
        f"  max {max(timings):6.2f} ms"
    )
    return median


def bench_service(rng: random.Random, items: list, points: int) -> tuple[list[float], list[int]]:
    from inventory.queries import nearest_depots

    timings, sizes = [], []
    for n in range(points + 10):
        lon, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
        item, quantity = rng.choice(items), Decimal(rng.randint(1, 300))
        start = time.perf_counter()
        rows = nearest_depots(lon=lon, lat=lat, item=item, quantity=quantity)
        elapsed = (time.perf_counter() - start) * 1000
        if n >= 10:  # the first ten warm the caches and the connection
            timings.append(elapsed)
            sizes.append(len(rows))
    return timings, sizes


def bench_http(rng: random.Random, items: list, points: int) -> list[float]:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from backend.directory import roles

    roles.sync_roles()
    user = get_user_model().objects.create_user("bench", password="bench-pw-123!")
    user.groups.set([roles.Group.objects.get(name=roles.VIEWER)])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    timings = []
    for n in range(points + 10):
        params = {
            "lon": rng.uniform(WEST, EAST),
            "lat": rng.uniform(SOUTH, NORTH),
            "item": rng.choice(items).code,
            "quantity": rng.randint(1, 300),
        }
        start = time.perf_counter()
        response = client.get("/api/depots/nearest/", params)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.content
        if n >= 10:
            timings.append(elapsed)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    benchdb.recreate()
    items = build(rng)
    print(f"built {DEPOTS} depots, {ITEMS} items, {LOTS} lots in {time.perf_counter() - started:.1f} s")
    try:
        timings, sizes = bench_service(rng, items, args.points)
        median = report("nearest_depots() (service)", timings)
        print(f"{'':<34} depots listed per query: median {statistics.median(sizes):.0f}, max {max(sizes)}")
        report("GET /api/depots/nearest/ (HTTP)", bench_http(rng, items, args.points))
    finally:
        if not args.keep:
            benchdb.drop()
    target_ok = median < 20
    print(f"target median < 20 ms: {'met' if target_ok else 'NOT met'}")
    return 0 if target_ok else 1


if __name__ == "__main__":
    sys.exit(main())
