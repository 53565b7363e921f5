"""The generating m and u of the synthetic registers, beside the fitted ones.

For the exact-agreement level of the date of birth, sex, nationality and region:

* m (two records of one person agree, both non-null) follows from :class:`.synthetic.
  ErrorModel`: a field is right in one record with probability ``c``, so m = c² (+ the chance
  that two wrong values coincide, for sex and region);
* u (two records of different persons agree) is measured on the registers themselves:
  Σ p_left(v) · p_right(v) over the values v (what u by random sampling estimates).

The date of birth is wrong in one record with probability ``dm_swap + dob_typo``: a swap
drawn for a day above 12 (or equal to the month) becomes a shifted date instead (see
``synthetic._dob``), so every draw in that range changes the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from migralink.linkage.synthetic import REGIONS, SyntheticRegisters

__all__ = ["Recovery", "fitted_parameters", "generating_parameters", "recovery"]

FIELDS = ("dob", "sex", "nationality", "region")


@dataclass(frozen=True)
class Recovery:
    """Fitted and generating m and u of one exact level."""

    field: str
    m_fitted: float
    m_generating: float
    u_fitted: float
    u_generating: float

    def line(self) -> str:
        """One line for a report."""
        return (f"{self.field:12s} m fitted {self.m_fitted:.4f} generating "
                f"{self.m_generating:.4f} | u fitted {self.u_fitted:.5f} generating "
                f"{self.u_generating:.5f}")


def _u(left: pl.Series, right: pl.Series) -> float:
    pl_, pr = (s.drop_nulls().cast(pl.String).value_counts(normalize=True)
               for s in (left, right))
    both = pl_.join(pr, on=left.name, suffix="_r")
    return float((both["proportion"] * both["proportion_r"]).sum())


def generating_parameters(reg: SyntheticRegisters, left: str = "immigration",
                          right: str = "employment") -> dict[str, tuple[float, float]]:
    """``{field: (m, u)}`` of the exact level of each field (see module docstring)."""
    e = reg.errors
    dob_right = (1 - e.missing - e.dm_swap - e.dob_typo) / (1 - e.missing)
    sex_right = (1 - e.missing - e.sex_error) / (1 - e.missing)
    stay = 1 - e.move + e.move / len(REGIONS)
    m = {"dob": dob_right**2,
         "sex": sex_right**2 + (1 - sex_right) ** 2,
         "nationality": 1.0,  # missing, never wrong
         "region": stay**2 + (len(REGIONS) - 1) * (e.move / len(REGIONS)) ** 2}
    a, b = reg.registers[left], reg.registers[right]
    return {f: (m[f], _u(a[f], b[f])) for f in FIELDS}


def fitted_parameters(model: dict[str, Any], level: str = "exact"
                      ) -> dict[str, tuple[float, float]]:
    """``{comparison: (m, u)}`` of the level labelled ``level`` in a fitted Splink model."""
    out = {}
    for comp in model["comparisons"]:
        for lv in comp["comparison_levels"]:
            if lv.get("label_for_charts") == level and lv.get("m_probability") is not None:
                out[comp["output_column_name"]] = (float(lv["m_probability"]),
                                                   float(lv["u_probability"]))
    return out


def recovery(reg: SyntheticRegisters, model: dict[str, Any]) -> list[Recovery]:
    """Fitted against generating m and u of :data:`FIELDS`."""
    gen, fit = generating_parameters(reg), fitted_parameters(model)
    return [Recovery(f, fit[f][0], gen[f][0], fit[f][1], gen[f][1]) for f in FIELDS]
