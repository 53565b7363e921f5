"""The Frictionless Data Package validates with 0 errors, and the validator bites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migralink.evidence import Evidence
from migralink.exports import export_as, validate_datapackage
from tests.exports.conftest import REGISTER

#: A small published table (18 provinces by residence status): frictionless reads every row.
SMALL = "moj_registered_region_status"


@pytest.mark.parametrize("dataset", [SMALL, REGISTER])
def test_package_validates(export_db: Path, tmp_path: Path, dataset: str) -> None:
    with Evidence(export_db, read_only=True) as ev:
        files = export_as(ev.gateway, dataset, "datapackage", tmp_path / "pkg")
    descriptor = files.files[0]
    assert validate_datapackage(descriptor) == []
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    assert package["licenses"][0]["title"]
    resource = package["resources"][0]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["value"]["type"] == "integer"
    assert fields["value"]["unit"] == "persons"
    assert fields["period"]["type"] == "string"
    assert fields["conf_status"]["constraints"]["enum"]
    assert resource["schema"]["primaryKey"][:2] == ["period", "region"]
    assert all(len(f["sha256"]) == 64 for f in resource["migralink:files"])
    if dataset == SMALL:
        assert any("sha256" in s["title"] for s in package["sources"])
        assert package["sources"][0]["path"].startswith("http")


def test_the_validator_finds_a_bad_value(export_db: Path, tmp_path: Path) -> None:
    """Control: a package whose data break the schema does not validate."""
    with Evidence(export_db, read_only=True) as ev:
        files = export_as(ev.gateway, SMALL, "datapackage", tmp_path / "pkg")
    data = files.files[1]
    lines = data.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[-3] = "many"  # the value column: not an integer
    data.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n",
                    encoding="utf-8")
    errors = validate_datapackage(files.files[0])
    assert errors
    assert "type-error" in errors[0]
