"""Record linkage of migrant registers across scripts, on Splink 5 (DuckDB or Spark).

Public surface:

* :class:`LinkageSpec`, :class:`Comparison` — the typed, JSON-round-tripping spec;
* :func:`prepare`, :func:`run`, :func:`link_files` — the run (Python API);
* :func:`quality_report`, :func:`clerical_sample` — quality without truth;
* :func:`to_hangul`, :func:`name_keys` — Latin → Hangul and the cross-script name keys;
* :func:`make_registers` — seeded synthetic registers with known truth;
* :func:`default_spec` — the spec used for migrant registers (cross-script names).
"""

from __future__ import annotations

from migralink.linkage.api import LinkOutputs, link_files
from migralink.linkage.engine import LinkResult, prepare, run
from migralink.linkage.names import NameKeys, name_keys, to_hangul
from migralink.linkage.presets import default_spec, febrl_spec
from migralink.linkage.quality import QualityReport, clerical_sample, quality_report
from migralink.linkage.spec import Comparison, LinkageSpec
from migralink.linkage.synthetic import ErrorModel, make_registers

__all__ = [
    "Comparison",
    "ErrorModel",
    "LinkOutputs",
    "LinkResult",
    "LinkageSpec",
    "NameKeys",
    "QualityReport",
    "clerical_sample",
    "default_spec",
    "febrl_spec",
    "link_files",
    "make_registers",
    "name_keys",
    "prepare",
    "quality_report",
    "run",
    "to_hangul",
]
