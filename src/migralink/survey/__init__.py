"""Design-based survey estimation that agrees with R ``survey``, down to local governments.

Public surface:

* :class:`DesignSpec` (with :class:`ReplicateSpec`, :class:`PostStratify`, :class:`Rake`,
  :class:`Greg`) — the design as typed, frozen data that round-trips through JSON;
* :class:`Survey` — a design on its data, with ``mean``, ``total``, ``ratio``,
  ``proportion``, ``quantile`` (overall or ``by`` domains), ``glm``, ``chisq`` and
  ``calibrate``; every result is a table with SE, interval, df, RSE and the KOSTAT grade;
* :func:`fay_herriot` — small-area estimates with MSE and CV for provinces and local
  governments, with :func:`indicator_covariates` reading area indicators from the
  evidence base;
* :func:`store_estimates` — a result table into the evidence base, withheld cells blanked.

See docs/survey.md for the conventions (bootstrap scale, lonely PSUs, ``mse``).
"""

from __future__ import annotations

from migralink.survey.api import Survey, read_survey_csv
from migralink.survey.covariates import indicator_covariates
from migralink.survey.reliability import CAUTION_RSE, WITHHOLD_RSE, grade, publishable
from migralink.survey.sae import fay_herriot
from migralink.survey.spec import DesignSpec, Greg, PostStratify, Rake, ReplicateSpec, load_spec
from migralink.survey.store import store_estimates

__all__ = [
    "CAUTION_RSE",
    "WITHHOLD_RSE",
    "DesignSpec",
    "Greg",
    "PostStratify",
    "Rake",
    "ReplicateSpec",
    "Survey",
    "fay_herriot",
    "grade",
    "indicator_covariates",
    "load_spec",
    "publishable",
    "read_survey_csv",
    "store_estimates",
]
