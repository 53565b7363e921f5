"""Indicators: declared once as data, computed for every region, period and breakdown.

Public surface:

* :func:`load_catalogue` / :class:`Catalogue` / :class:`IndicatorSpec`: the declarations
  (the built-in ``catalogue.toml`` and any file of a user's own);
* :func:`catalogue_frame`: one row per indicator, for ``migralink indicators catalogue``;
* :func:`compute_indicators`: every indicator for every region, period and breakdown
  the data allow, as one Polars frame;
* :func:`store_indicators`: that frame as the dataset ``indicators``, with provenance;
* :func:`headline`: the local governments with the most foreign residents.

>>> from migralink.evidence import Evidence                     # doctest: +SKIP
>>> ev = Evidence("migralink.duckdb")                           # doctest: +SKIP
>>> store_indicators(ev, compute_indicators(ev))                # doctest: +SKIP
"""

from migralink.indicators.catalogue import catalogue_frame, load_catalogue
from migralink.indicators.engine import compute_indicators
from migralink.indicators.headline import Headline, headline
from migralink.indicators.spec import KINDS, Catalogue, IndicatorSpec, Measure, Term
from migralink.indicators.store import store_indicators

__all__ = [
    "KINDS",
    "Catalogue",
    "Headline",
    "IndicatorSpec",
    "Measure",
    "Term",
    "catalogue_frame",
    "compute_indicators",
    "headline",
    "load_catalogue",
    "store_indicators",
]
