"""Mapping files: every mistake names the file and the key to fix."""

from __future__ import annotations

import pytest

from migralink.errors import ConfigError
from migralink.sources import builtin_mappings, parse_mapping

GOOD = """
[dataset]
id = "my_table"
title_ko = "표"
title_en = "Table"
publisher = "Someone"
source_url = "https://example.org"
licence = "CC BY 4.0"
[period]
constant = "2024"
[value]
column = "n"
"""


def test_a_minimal_mapping_parses_with_defaults() -> None:
    spec = parse_mapping(GOOD)
    assert spec.meta.id == "my_table"
    assert spec.meta.period_day == "12-31"
    assert spec.region.constant == "00"
    assert spec.encoding == "auto"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('id = "my_table"', 'id = "My Table"'), "not a valid identifier"),
        (GOOD.replace('licence = "CC BY 4.0"', ""), "licence is missing"),
        (GOOD.replace('[value]\ncolumn = "n"', ""), "neither [value] column nor [melt]"),
        (GOOD + '[melt]\npattern = "("\n', "not a valid regular expression"),
        (GOOD.replace("[period]", "[period]\ncolumn_typo = 1\n#"), "unknown key(s) in [period]"),
        (GOOD.replace('constant = "2024"', 'pattern = "x"'), "needs a column or a constant"),
        (GOOD + "\n[[dimension]]\nid = \"status\"\nconstant = \"x\"\n", "reserved"),
        (GOOD.replace('[dataset]', '[dataset]\nperiod_day = "Dec 31"'), "not MM-DD"),
        ("[dataset\n", "not valid TOML"),
        (GOOD + '\n[[dimension]]\nid = "stage"\nconstant = "x"\nrole = "measures"\n',
         "dimension 'stage' has role 'measures'"),
    ],
)
def test_mistakes_are_named(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_mapping(text, source="my.toml")
    assert message in str(info.value)
    assert "my.toml" in str(info.value)


def test_a_dimension_of_different_quantities_says_so() -> None:
    text = GOOD + '\n[[dimension]]\nid = "stage"\nconstant = "x"\nrole = "measure"\n'
    assert [d.role for d, _ in parse_mapping(text).dimensions] == ["measure"]
    assert [d.role for d, _ in parse_mapping(GOOD + '\n[[dimension]]\nid = "sex"\n'
                                          'constant = "F"\n').dimensions] == ["category"]


def test_builtin_mappings_have_distinct_ids_and_full_provenance() -> None:
    specs = builtin_mappings()
    ids = [s.meta.id for s in specs]
    assert len(ids) == len(set(ids))
    for spec in specs:
        assert spec.filename_globs, spec.meta.id
        assert spec.meta.source_url.startswith("http"), spec.meta.id
        assert spec.meta.reference_date, spec.meta.id
