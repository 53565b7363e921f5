"""An SDMX data structure definition (DSD), dataflow and code lists for one dataset.

Everything is generated from migralink's own model of the dataset: its dimensions and
their code lists in the catalogue (``ml_dimension``, ``ml_code``), the region code
history of :mod:`migralink.codes`, and the SDMX observation and confidentiality
statuses every released cell carries. A code list holds the codes the model knows, not
the codes the data happen to hold, so that :func:`check_codes` means something:
pysdmx itself accepts a code outside its list without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl
from pysdmx.model import (
    Code,
    Codelist,
    Component,
    Components,
    Concept,
    ConceptScheme,
    Dataflow,
    DataStructureDefinition,
    DataType,
    Role,
    Schema,
)

from migralink.errors import CodeError
from migralink.exports.release import Released, measure_columns
from migralink.model import CONF_STATUS, OBS_STATUS
from migralink.store.catalogue_rows import code_rows, dimension_rows
from migralink.store.gateway import Gateway

__all__ = ["AGENCY", "Structure", "build_structure", "check_codes", "check_ids", "sdmx_period"]

#: The maintenance agency of every artefact migralink generates.
AGENCY = "MIGRALINK"
_VERSION = "1.0"
_RANGE = re.compile(r"^(\d{4})/(\d{4})$")


@dataclass(frozen=True)
class Structure:
    """The SDMX artefacts of one released dataset.

    Attributes:
        dataset: the dataset id.
        version: the dataset version the structure describes.
        columns: our column name → SDMX component id, in component order.
        schema: what pysdmx writes data with (a dataflow schema).
        artefacts: concept scheme, code lists, DSD and dataflow, for the structure file.
        codelists: component id → the codes it allows (coded components only).
        value_type: the SDMX type of ``OBS_VALUE`` (``Long`` for counts, else ``Double``).
        measures: our measure column → its SDMX type (``value`` is ``OBS_VALUE``; a
            dataset with several measures, such as an indicator's counts, has more).
    """

    dataset: str
    version: int
    columns: dict[str, str]
    schema: Schema
    artefacts: tuple[object, ...]
    codelists: dict[str, frozenset[str]]
    value_type: DataType
    measures: dict[str, DataType]

    @property
    def dataflow_id(self) -> str:
        """``DF_<DATASET>``."""
        return self.schema.id


def sdmx_id(name: str) -> str:
    """An SDMX id from one of our names: ``residence_status`` → ``RESIDENCE_STATUS``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name).upper()


def sdmx_period(period: str) -> str:
    """Our period as an SDMX time period: ``2015/2019`` becomes ``2015-01-01/P5Y``."""
    match = _RANGE.match(period)
    if match is None:
        return period
    first, last = int(match.group(1)), int(match.group(2))
    return f"{first}-01-01/P{last - first + 1}Y"


def _region_codes(released: Released) -> list[Code]:
    """The region codes of the dataset's coding system.

    MOIS codes come from the code history: the nation, provinces, local governments,
    districts, branch offices and 읍면동, every code ever valid. Another system (UN M49)
    has no code list in migralink: its codes are taken as published.
    """
    from migralink.codes import NATIONAL, region_list

    if released.ref.region_system != "mois":
        present = sorted(set(released.frame["region"].cast(pl.Utf8).to_list()))
        return [Code(id=code, name=code) for code in present]
    # every level of the code history: some tables are by 읍면동 (emd) or by a branch
    # office (출장소) of a local government
    regions = region_list().unique("code", keep="last").sort("code")
    return [Code(id=str(r["code"]),
                 name=str(r["name_en"] or r["name_ko"]) if r["code"] != NATIONAL
                 else "Republic of Korea (nation)",
                 description=str(r["name_ko"]))
            for r in regions.iter_rows(named=True)]


def _dimension_codes(gw: Gateway, released: Released, dim: str) -> list[Code]:
    """The codes of one dimension as the catalogue lists them, with the dimension's total."""
    ref = released.ref
    rows = code_rows(gw, ref.dataset_id, ref.version).get(dim, [])
    labels = {str(code): str(label or code) for code, label in rows}
    total = ref.totals.get(dim)
    if total is not None:
        labels.setdefault(total, "Total")
    return [Code(id=code, name=label) for code, label in sorted(labels.items())]


def _codelist(cid: str, name: str, codes: list[Code]) -> Codelist:
    return Codelist(id=f"CL_{cid}", agency=AGENCY, name=name, version=_VERSION, items=codes)


def _concept(scheme: str, cid: str, name: str, dtype: DataType) -> Concept:
    urn = f"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={AGENCY}:{scheme}({_VERSION}).{cid}"
    return Concept(id=cid, name=name, dtype=dtype, urn=urn)


def _value_type(frame: pl.DataFrame, column: str = "value") -> DataType:
    values = frame[column].drop_nulls()
    if values.is_empty() or bool((values == values.round(0)).all()):
        return DataType.LONG
    return DataType.DOUBLE


def _titles(gw: Gateway, released: Released) -> dict[str, str]:
    rows = dimension_rows(gw, released.ref.dataset_id, released.ref.version)
    return {str(r["id"]): str(r["title_en"] or r["id"]) for r in rows}


def build_structure(gw: Gateway, released: Released) -> Structure:
    """The DSD, dataflow and code lists of a released dataset version."""
    ref, frame = released.ref, released.frame
    scheme = f"CS_{sdmx_id(ref.dataset_id)}"
    titles = _titles(gw, released)
    value_type = _value_type(frame)
    # (our column, SDMX id, role, name, type, codes or None, required)
    specs: list[tuple[str, str, Role, str, DataType, list[Code] | None, bool]] = [
        ("region", "REGION", Role.DIMENSION, "Region (MOIS code)", DataType.STRING,
         _region_codes(released), True),
    ]
    for dim in ref.dimensions:
        specs.append((dim, sdmx_id(dim), Role.DIMENSION, titles.get(dim, dim), DataType.STRING,
                      _dimension_codes(gw, released, dim), True))
    specs += [
        ("period", "TIME_PERIOD", Role.DIMENSION, "Time period", DataType.PERIOD, None, True),
        *((m, "OBS_VALUE" if m == "value" else sdmx_id(m), Role.MEASURE,
           "Observation value" if m == "value" else m, _value_type(frame, m), None, False)
          for m in measure_columns(released)),
        ("obs_status", "OBS_STATUS", Role.ATTRIBUTE, "Observation status", DataType.STRING,
         [Code(id=k, name=v) for k, v in OBS_STATUS.items()], True),
        ("conf_status", "CONF_STATUS", Role.ATTRIBUTE, "Confidentiality status",
         DataType.STRING, [Code(id=k, name=v) for k, v in CONF_STATUS.items()], True),
    ]
    concepts, components, lists = [], [], []
    for _, cid, role, name, dtype, codes, required in specs:
        concept = _concept(scheme, cid, name, dtype)
        concepts.append(concept)
        codelist = _codelist(cid, name, codes) if codes is not None else None
        if codelist is not None:
            lists.append(codelist)
        components.append(Component(
            id=cid, required=required, role=role, concept=concept, local_dtype=dtype,
            local_codes=codelist, attachment_level="O" if role is Role.ATTRIBUTE else None,
        ))
    comps = Components(components)
    did = sdmx_id(ref.dataset_id)
    dsd = DataStructureDefinition(id=f"DSD_{did}", agency=AGENCY, name=ref.dataset_id,
                                  version=_VERSION, components=comps)
    flow = Dataflow(id=f"DF_{did}", agency=AGENCY, name=f"{ref.dataset_id} v{ref.version}",
                    version=_VERSION, structure=dsd)
    schema = Schema(context="dataflow", agency=AGENCY, id=f"DF_{did}", components=comps,
                    version=_VERSION)
    cs = ConceptScheme(id=scheme, agency=AGENCY, name=f"Concepts of {ref.dataset_id}",
                       version=_VERSION, items=concepts)
    return Structure(
        dataset=ref.dataset_id, version=ref.version,
        columns={s[0]: s[1] for s in specs}, schema=schema,
        artefacts=(cs, *lists, dsd, flow),
        codelists={s[1]: frozenset(c.id for c in s[5]) for s in specs if s[5] is not None},
        value_type=value_type,
        measures={s[0]: s[4] for s in specs if s[2] is Role.MEASURE},
    )


def check_codes(frame: pl.DataFrame, structure: Structure) -> None:
    """Refuse a frame (SDMX column names) with a code outside its component's code list.

    Raises:
        CodeError: naming the component, the code, its first row and the code list.
    """
    for cid, allowed in structure.codelists.items():
        if cid not in frame.columns:
            continue
        column = frame[cid].cast(pl.Utf8)
        bad = frame.with_row_index("_row").filter(
            column.is_not_null() & ~column.is_in(sorted(allowed)))
        if bad.height:
            first = bad.row(0, named=True)
            codes = sorted(set(bad[cid].cast(pl.Utf8).to_list()))
            raise CodeError(
                title=f"code {first[cid]!r} of {cid} (row {first['_row'] + 1} of "
                f"{structure.dataset}) is not in code list CL_{cid}",
                hint="add it to the model's code list (catalogue or migralink.codes) "
                "before exporting; SDMX consumers reject codes outside their lists",
                details=[f"unknown {cid} codes: {', '.join(codes[:20])}"
                         + (" …" if len(codes) > 20 else "")],
            )


_SDMX_ID = re.compile(r"^[A-Za-z0-9_@$\-]+$")


def check_ids(structure: Structure) -> None:
    """Refuse codes that are not valid SDMX identifiers (SDMX-ML schemas reject them).

    Raises:
        CodeError: naming the code and its component.
    """
    for cid, codes in structure.codelists.items():
        bad = sorted(c for c in codes if not _SDMX_ID.match(c))
        if bad:
            raise CodeError(
                title=f"code {bad[0]!r} of {cid} in {structure.dataset} is not a valid SDMX "
                "identifier (letters, digits, _ @ $ -)",
                hint="export this dataset as parquet, csv or datapackage",
                details=[f"invalid {cid} codes: {', '.join(bad[:20])}"])
