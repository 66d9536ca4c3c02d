"""Benchmark of the trace: ~1,000 rivers in a synthetic tributary tree, 10,000 features,
three reaches on every river (with dry/wet values and the geometry of the mixing length),
200 random spills, without and with the treatment (cadmium: lime and PAC from 40 depots).
Not a test; run it directly:

    .venv/bin/python tests/bench/bench_trace.py [--rivers 1000] [--features 10] [--traces 200]
    .venv/bin/python tests/bench/bench_trace.py --rivers 10000   # province scale, 100,000 features

It uses its own database, erc_bench_trace (dropped and re-created with PostGIS, then migrated),
so it never touches the development or test databases.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

import benchdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# ERC_TEST_SUFFIX keeps parallel runs (one per engineer) on their own databases.
BENCH_DB = "erc_bench_trace" + os.environ.get("ERC_TEST_SUFFIX", "")


def along(coords, fraction):
    lengths = [math.dist(a, b) for a, b in zip(coords, coords[1:], strict=False)]
    target = fraction * sum(lengths)
    for (a, b), length in zip(zip(coords, coords[1:], strict=False), lengths, strict=False):
        if target <= length:
            t = target / length if length else 0
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        target -= length
    return coords[-1]


def build_network(n_rivers: int, per_river: int, rng: random.Random) -> list[tuple[int, list]]:
    from django.contrib.gis.geos import LineString, Point
    from django.db import connection, transaction

    from plans import services
    from plans.geo import RELOCATE_FEATURES_SQL
    from plans.models import River, RiverFeature

    rivers: list[tuple[River, list]] = []
    with transaction.atomic():
        # A main stem flowing south, ~330 km; every other river joins one already built.
        main = [(112.5 + 0.05 * math.sin(i / 3), 40.0 - i * 0.1) for i in range(31)]
        rivers.append((services.save_river(code="r0000", name="Main", geometry=LineString(main, srid=4326),
                                           velocity_ms=1.0, flow_m3s=200, dispersion_m2s=100), main))  # fmt: skip
        for index in range(1, n_rivers):
            parent, parent_coords = rng.choice(rivers)
            mouth = along(parent_coords, rng.uniform(0.05, 0.95))
            heading = rng.uniform(0, 2 * math.pi)
            length = rng.uniform(0.05, 0.35)  # degrees: 5–35 km
            steps = rng.randint(4, 12)
            source = (mouth[0] + length * math.cos(heading), mouth[1] + length * math.sin(heading))
            coords = [
                (
                    source[0] + (mouth[0] - source[0]) * k / steps + (0.004 * math.sin(k) if 0 < k < steps else 0),
                    source[1] + (mouth[1] - source[1]) * k / steps,
                )
                for k in range(steps + 1)
            ]
            coords[-1] = mouth
            river = services.save_river(
                code=f"r{index:04d}",
                name=f"River {index}",
                geometry=LineString(coords, srid=4326),
                velocity_ms=rng.uniform(0.2, 1.0),
                flow_m3s=rng.uniform(1, 50),
                dispersion_m2s=rng.uniform(5, 60),
                outlet=parent,
            )
            rivers.append((river, coords))
        kinds = ["section", "receptor", "space", "risk_source"]
        batch = []
        for river, coords in rivers:
            for _ in range(per_river):
                lon, lat = along(coords, rng.random())
                kind = rng.choice(kinds)
                batch.append(
                    RiverFeature(
                        river=river,
                        kind=kind,
                        name=f"{kind} on {river.code}",
                        location=Point(lon + rng.uniform(-0.001, 0.001), lat, srid=4326),
                        level="provincial" if kind == "section" else "",
                        water_class=rng.choice("II III IV".split()) if kind in ("section", "receptor") else "",
                        receptor_type="drinking_water" if kind == "receptor" else "",
                        space_type="dam" if kind == "space" else "",
                        setup_minutes=rng.randint(10, 240) if kind == "space" else None,
                        capacity_m3=rng.choice([2e4, 2e5, 2e6]) if kind == "space" else None,
                        source_type="enterprise" if kind == "risk_source" else "",
                    )
                )
        RiverFeature.objects.bulk_create(batch, batch_size=2000)
        # The same measurement save_feature makes, for all features at once.
        with connection.cursor() as cursor:
            for river, _coords in rivers:
                cursor.execute(RELOCATE_FEATURES_SQL, [river.pk])
    return [(river.pk, coords) for river, coords in rivers]


def add_reaches(per_river: int, rng: random.Random) -> int:
    """`per_river` reaches covering every river end to end, each with seasons and geometry."""
    from plans.models import River, RiverReach

    batch = []
    for river_id, length in River.objects.values_list("id", "length_m"):
        cuts = [0.0, *sorted(rng.uniform(0, length) for _ in range(per_river - 1)), length]
        for start, end in zip(cuts, cuts[1:], strict=False):
            if end <= start:
                continue
            flow, velocity = rng.uniform(1, 200), rng.uniform(0.2, 1.2)
            batch.append(
                RiverReach(
                    river_id=river_id,
                    from_chainage_m=start,
                    to_chainage_m=end,
                    flow_m3s=flow,
                    velocity_ms=velocity,
                    dispersion_m2s=rng.uniform(5, 100),
                    width_m=rng.uniform(10, 300),
                    depth_m=rng.uniform(0.5, 5),
                    slope=rng.uniform(1e-4, 2e-3),
                    dry_flow_m3s=flow / 4,
                    dry_velocity_ms=velocity / 2,
                    wet_flow_m3s=flow * 3,
                    wet_velocity_ms=velocity * 1.5,
                )  # fmt: skip
            )
    RiverReach.objects.bulk_create(batch, batch_size=5000)
    return len(batch)


def add_depots(count: int, rng: random.Random) -> None:
    """Depots over the network's extent holding lime and PAC (the cadmium treatment)."""
    from django.contrib.gis.geos import Point

    from inventory import services as inventory

    items = [
        inventory.save_item(code=code, name=code, category="treatment", unit="吨", consumable=True)
        for code in ("quicklime", "pac")
    ]
    for index in range(count):
        depot = inventory.save_depot(
            code=f"D{index:03d}", name=f"Depot {index}", level="county",
            location=Point(rng.uniform(111.0, 114.0), rng.uniform(36.5, 40.5), srid=4326),
        )  # fmt: skip
        for item in items:
            inventory.receive(depot=depot, item=item, quantity=rng.randint(1, 200), lot=f"L{index}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rivers", type=int, default=1000)
    parser.add_argument("--features", type=int, default=10, help="features per river")
    parser.add_argument("--traces", type=int, default=200)
    parser.add_argument("--reaches", type=int, default=3, help="reaches per river")
    parser.add_argument("--depots", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()

    import django

    benchdb.use_database(BENCH_DB)
    django.setup()
    benchdb.recreate()

    from django.db import connection

    from plans.models import Pollutant, RiverFeature
    from plans.tracing import trace

    rng = random.Random(args.seed)
    started = time.perf_counter()
    network = build_network(args.rivers, args.features, rng)
    reaches = add_reaches(args.reaches, rng)
    add_depots(args.depots, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"built {len(network)} rivers, {RiverFeature.objects.count()} features, {reaches} reaches "
        f"in {time.perf_counter() - started:.1f} s"
    )

    cod, cadmium = Pollutant.objects.get(code="cod"), Pollutant.objects.get(code="cd")
    spills = []
    for _ in range(args.traces):
        _pk, coords = rng.choice(network)
        lon, lat = along(coords, rng.uniform(0.0, 0.9))
        spills.append((lon + rng.uniform(-0.005, 0.005), lat))
    for lon, lat in spills[:5]:  # warm the connection and the plans
        trace(lon, lat, pollutant=cod, mass_kg=1000)
        trace(lon, lat, pollutant=cadmium, mass_kg=50)

    timings, listed = [], []
    for lon, lat in spills:
        t0 = time.perf_counter()
        result = trace(lon, lat, pollutant=cod, mass_kg=1000, with_treatment=False)
        timings.append((time.perf_counter() - t0) * 1000)
        listed.append(len(result["downstream"]))
    report("service plans.tracing.trace, no treatment", timings)
    print(f"downstream entries per trace: median {statistics.median(listed):.0f}, max {max(listed)}")

    timings, treated = [], []
    for lon, lat in spills:
        t0 = time.perf_counter()
        result = trace(lon, lat, pollutant=cadmium, mass_kg=50)
        timings.append((time.perf_counter() - t0) * 1000)
        if result["treatment"] is not None:
            treated.append(timings[-1])
    report("service plans.tracing.trace, with treatment (cadmium)", timings)
    # Only a spill with a recommended space gets a treatment (the depot queries): those alone.
    report("  of which spills with a recommended space and a treatment", treated)

    # The same spills through the REST endpoint in-process (DRF parsing, validation, JSON).
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_superuser("bench", password="bench-only-1"))
    timings = []
    for lon, lat in spills:
        body = {"location": {"type": "Point", "coordinates": [lon, lat]}, "pollutant": "cd", "mass_kg": 50}
        t0 = time.perf_counter()
        response = client.post("/api/trace/", body, format="json")
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content
    report("POST /api/trace/ (in-process, with treatment)", timings)


def report(label: str, timings: list[float]) -> None:
    timings = sorted(timings)
    p95 = timings[max(0, math.ceil(0.95 * len(timings)) - 1)]
    print(
        f"{label}: {len(timings)} random spills, median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
