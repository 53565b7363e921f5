"""The catalogue: every indicator declared as data, checked, extensible without code."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from migralink.errors import ConfigError, QueryError
from migralink.evidence import Evidence
from migralink.indicators import KINDS, catalogue_frame, compute_indicators, load_catalogue
from tests.indicators.conftest import pick
from tests.indicators.raw import ANSAN_DISTRICTS, mois

GOOD = """
[[indicator]]
id = "{id}"
kind = "{kind}"
name_ko = "결혼이민자 비율"
name_en = "Marriage-migrant share of the population"
definition_ko = "결혼이민자 / 총인구"
definition_en = "Marriage migrants over the total population"
unit = "percent"
numerator = {{ dataset = "{dataset}", filters = {{ group = "marriage_migrants", sex = "_T" }} }}
denominator = {{ dataset = "mois_population_sigungu" }}
sdg = ["17.18"]
{extra}
"""
TAGS = 'levels = ["sigungu", "sido"]\ngcm = [1]\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _declare(tmp_path: Path, *, id: str = "marriage_migrant_share", kind: str = "ratio",
             dataset: str = "mois_foreign_residents_sigungu", extra: str = "",
             tags: str = TAGS) -> Path:
    return _write(tmp_path, GOOD.format(id=id, kind=kind, dataset=dataset, extra=tags + extra))


def test_every_builtin_indicator_is_declared_fully() -> None:
    frame = catalogue_frame()
    assert frame.height == len(set(frame["id"])) >= 30
    assert set(frame["kind"]) == KINDS  # every kind the engine knows is used
    for column in ("name_ko", "name_en", "definition_ko", "definition_en", "unit", "gcm"):
        assert (frame[column].str.len_chars() > 0).all(), column
    assert {"numerator", "denominator", "sdg", "oecd", "caveats_en", "levels"} <= set(
        frame.columns)


def test_every_builtin_indicator_has_rows(computed: pl.DataFrame) -> None:
    counts = computed.group_by("indicator").len()
    assert set(counts["indicator"]) == set(load_catalogue().ids)
    assert (counts["len"] > 0).all()


def test_a_new_indicator_is_declared_not_coded(
    tmp_path: Path, full_db: Path, shared: Path
) -> None:
    catalogue = load_catalogue(_declare(tmp_path))
    with Evidence(full_db) as ev:
        frame = compute_indicators(ev, catalogue, ids=["marriage_migrant_share"])
    row = pick(frame, "marriage_migrant_share", "41270", "2019")
    assert row["value"] == pytest.approx(
        100 * mois(shared, ANSAN_DISTRICTS, "결혼이민자", "2019")
        / mois(shared, ANSAN_DISTRICTS, "총인구", "2019")
    )
    assert set(frame["level"]) == {"sigungu", "sido"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "median"}, "unknown kind 'median'"),
        ({"dataset": "no_such_table"}, "unknown dataset 'no_such_table'"),
        ({"extra": 'disaggregations = ["nationality"]'}, "breaks down by 'nationality'"),
        ({"extra": 'disaggregations = ["sex"]'}, "both filters and breaks down by 'sex'"),
        ({"tags": 'levels = ["village"]'}, "has levels"),
        ({"tags": "gcm = [24]"}, "names GCM objective 24"),
        ({"extra": 'colour = "red"'}, "unknown keys ['colour']"),
        ({"kind": "composition"}, "takes no denominator"),
        ({"kind": "threshold_flag"}, "has no threshold"),
        ({"id": "foreign_share"}, "is declared twice"),
        ({"id": "Bad Id"}, "has no valid id"),
    ],
)
def test_a_wrong_declaration_is_refused_naming_the_indicator(
    tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    path = _declare(tmp_path, **changes)
    with pytest.raises(ConfigError) as caught:
        load_catalogue(path)
    text = str(caught.value)
    assert message in text
    assert "mine.toml" in text
    if changes.get("id") != "Bad Id":
        assert f"indicator {changes.get('id', 'marriage_migrant_share')!r}" in text


def test_a_filter_on_a_dimension_the_table_lacks_is_refused(tmp_path: Path) -> None:
    text = GOOD.format(id="x_share", kind="ratio", dataset="mois_population_sigungu", extra="")
    with pytest.raises(ConfigError, match="filters mois_population_sigungu on 'group'"):
        load_catalogue(_write(tmp_path, text))


def test_a_ratio_split_by_what_its_denominator_lacks_is_refused(tmp_path: Path) -> None:
    # MOIS prints its total population without sex: a share by sex needs another one
    text = GOOD.replace(', sex = "_T"', "").format(
        id="x_share", kind="ratio", dataset="mois_foreign_residents_sigungu",
        extra='disaggregations = ["sex"]')
    with pytest.raises(ConfigError, match=r"mois_population_sigungu \(denominator\)"):
        load_catalogue(_write(tmp_path, text))


def test_a_rank_of_an_unknown_indicator_is_refused(tmp_path: Path) -> None:
    text = """
[[indicator]]
id = "rank_of_nothing"
kind = "rank"
of = "nothing"
name_ko = "순위"
name_en = "Rank"
definition_ko = "순위"
definition_en = "Rank"
unit = "rank"
"""
    with pytest.raises(ConfigError, match="ranks 'nothing'"):
        load_catalogue(_write(tmp_path, text))


def test_a_missing_name_and_bad_toml_are_refused(tmp_path: Path) -> None:
    nameless = GOOD.replace('name_en = "Marriage-migrant share of the population"', "")
    with pytest.raises(ConfigError, match="has no name_en"):
        load_catalogue(_write(tmp_path, nameless.format(
            id="x", kind="ratio", dataset="mois_foreign_residents_sigungu", extra="")))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_catalogue(_write(tmp_path, "[[indicator]\nid = "))
    with pytest.raises(ConfigError, match="cannot read"):
        load_catalogue(tmp_path / "absent.toml")


def test_datasets_of_a_users_own_mapping_can_be_declared(tmp_path: Path) -> None:
    path = _declare(tmp_path, dataset="my_survey")
    with pytest.raises(ConfigError):
        load_catalogue(path)
    catalogue = load_catalogue(path, datasets={"my_survey": ("group", "sex")})
    assert catalogue.get("marriage_migrant_share").numerator is not None


def test_asking_for_an_unknown_indicator_or_missing_data(full_db: Path, tmp_path: Path) -> None:
    with Evidence(tmp_path / "empty.duckdb") as empty, pytest.raises(QueryError,
                                                                    match="not all of which"):
        compute_indicators(empty, load_catalogue(), ids=["foreign_share"])
    with Evidence(full_db) as ev, pytest.raises(QueryError, match="no indicator 'nope'"):
        compute_indicators(ev, ids=["nope"])


def test_the_documentation_lists_every_indicator() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text("utf-8")
    for ident in load_catalogue().ids:
        assert f"`{ident}`" in docs, ident


def test_an_indicator_on_another_region_system_is_refused(full_db: Path, tmp_path: Path) -> None:
    text = """
[[indicator]]
id = "migrant_stock_growth"
kind = "cagr"
name_ko = "국제이주자 연평균 증가율"
name_en = "Growth of the international migrant stock"
definition_ko = "연평균 증가율"
definition_en = "Compound annual growth"
unit = "percent"
numerator = { dataset = "undesa_migrant_stock" }
levels = ["country"]
"""
    catalogue = load_catalogue(_write(tmp_path, text))
    with Evidence(full_db) as ev, pytest.raises(
        QueryError, match="indicator 'migrant_stock_growth': dataset 'undesa_migrant_stock' "
        "is coded by m49 regions"
    ):
        compute_indicators(ev, catalogue, ids=["migrant_stock_growth"])


def test_public_surface() -> None:
    import migralink.indicators as module

    for name in module.__all__:
        assert hasattr(module, name), name
