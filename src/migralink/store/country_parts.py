"""A filter on a country whose ethnic-Korean nationals a dataset counts apart.

MOJ publishes 중국 and 한국계중국인 as two rows (``CHN`` 315,682 and ``CHN-KR`` 643,277 at
the end of 2024): ``--filter nationality=중국`` answers for a third of China's nationals.
The answer is the row that was asked for, so it is not refused; it carries a note that
names the other codes of the same country (the code list's ``iso3``) and how to ask for
all of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from migralink.codes.nationalities import nationality_table
from migralink.store.catalogue_read import VersionRef, code_labels
from migralink.store.gateway import Gateway

__all__ = ["country_part_notes"]


def country_part_notes(gw: Gateway, ref: VersionRef, filters: Iterable[tuple[str, str]]
                       ) -> list[str]:
    """One note per filtered nationality whose country has other codes in the dataset."""
    chosen: dict[str, set[str]] = {}
    for dim, code in filters:
        if ref.codelists.get(dim) == "nationality":
            chosen.setdefault(dim, set()).add(code)
    if not chosen:
        return []
    table = nationality_table()
    country = dict(zip(table["code"].to_list(), table["iso3"].to_list(), strict=True))
    notes = []
    for dim, codes in chosen.items():
        present = code_labels(gw, ref.dataset_id, ref.version, dim)
        for code in sorted(codes):
            apart = sorted(c for c in present if c not in codes and country.get(c)
                           and country.get(c) == country.get(code))
            if apart:
                others = ", ".join(f"{c} ({present[c]})" for c in apart)
                notes.append(
                    f"{dim} {code} ({present[code]}) does not count {others}: nationals "
                    f"of the same country that {ref.dataset_id} counts apart; filter on "
                    f"{','.join([code, *apart])} for all of them")
    return notes
