"""Large samples take the bucketed quantile path; it must agree with sorting everything.

The whole-sort path is the one the parity suite checks against R. California's API
population (integer scores, so many ties) repeated 40 times is large enough for buckets.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from migralink.survey import proportions

from .designs import dataset

COPIES = 40


def _scores_and_weights() -> tuple[np.ndarray, np.ndarray]:
    pop = dataset("apipop").select("api00", "enroll").drop_nulls()
    x = np.tile(pop.get_column("api00").cast(pl.Float64).to_numpy(), COPIES)
    enroll = pop.get_column("enroll").cast(pl.Float64).to_numpy()
    # each copy weighted differently, so the weights are not multiples of each other
    w = np.concatenate([enroll * (1 + k / 7) for k in range(COPIES)])
    return x, w


def test_bucketed_quantiles_equal_the_whole_sort(monkeypatch: pytest.MonkeyPatch) -> None:
    x, w = _scores_and_weights()
    assert x.size > proportions._SORT_ALL
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order].astype(np.longdouble))
    # probabilities where the distribution function lands exactly on a step (R's tie rule)
    steps = [float(cum[k] / cum[-1]) for k in (x.size // 3, x.size // 2)]
    probs = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, *steps]
    bucketed = [proportions.qrule_math(x, w, p) for p in probs]
    monkeypatch.setattr(proportions, "_SORT_ALL", x.size + 1)
    whole = [proportions.qrule_math(x, w, p) for p in probs]
    assert bucketed == whole
    assert len(set(whole)) > 4  # the probabilities reach different scores
