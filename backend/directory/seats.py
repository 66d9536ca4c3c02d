"""County seats (县城: where each county-level government sits) for the maps and the place search.

Source: the **cpca** package (PyPI, version 0.5.5, MIT, © 2018 QinYuan Du), whose
`cpca/resources/adcodes.csv` lists every GB/T 2260 code with a longitude and latitude down to
county level (no towns: no open package on PyPI gives 乡镇 coordinates). Its points are AMap's
district centres, i.e. GCJ-02: each is converted to WGS-84 (gcj02.to_wgs84) and written to
data/seats.geojson, which is committed (cpca is a build-time source, not a runtime dependency).
`load()` reads the file into AdminArea.seat, idempotently. See the README, "County seats: origin, licence, conversion".
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from django.contrib.gis.geos import Point

from .gcj02 import to_wgs84
from .models import AdminArea
from .outlines import AREAS

DATA_FILE = Path(__file__).resolve().parent / "data" / "seats.geojson"
DECIMALS = 5  # ~1 m
CSV_IN_PACKAGE = "cpca/resources/adcodes.csv"


def _rows(source: Path) -> dict[str, tuple[str, str, str]]:
    """{six-digit code: (name, lon, lat)} from cpca's wheel or its installed package directory."""
    if source.is_file():
        text = zipfile.ZipFile(source).read(CSV_IN_PACKAGE).decode("utf-8")
    else:
        text = (source / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {row["adcode"][:6]: (row["name"], row["longitude"], row["latitude"]) for row in rows}


def build(source: Path, output: Path = DATA_FILE) -> dict:
    """Write the seats of the county-level areas in outlines.AREAS (WGS-84) as GeoJSON points."""
    rows = _rows(source)
    features = []
    for code, name, name_en, level, _parent in AREAS:
        if level != "county":
            continue
        listed, lon, lat = rows[code]
        if listed != name:
            raise ValueError(f"{code}: cpca names it {listed!r}, not {name!r}")
        x, y = to_wgs84(float(lon), float(lat))
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "name_en": name_en},
                "geometry": {"type": "Point", "coordinates": [round(x, DECIMALS), round(y, DECIMALS)]},
            }
        )
    collection = {
        "type": "FeatureCollection",
        "source": "cpca 0.5.5 (MIT) adcodes.csv, AMap centres converted from GCJ-02 to WGS-84; see README.md",
        "features": features,
    }
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    head = json.dumps({"type": "FeatureCollection", "source": collection["source"]}, ensure_ascii=False)[:-1]
    output.write_text(f'{head}, "features": [\n{lines}\n]}}\n', encoding="utf-8")  # a feature a line
    return collection


def read(path: Path = DATA_FILE) -> dict[str, Point]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: Point(*f["geometry"]["coordinates"], srid=4326) for f in collection["features"]}


def load() -> int:
    """Set AdminArea.seat from the committed file (areas that do not exist yet are skipped)."""
    updated = 0
    for code, point in read().items():
        updated += AdminArea.objects.filter(code=code).update(seat=point)
    return updated
