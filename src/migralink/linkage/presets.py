"""The specs used for migrant registers and for the FEBRL benchmark (also shipped as JSON
examples in ``docs/linkage.md``)."""

from __future__ import annotations

from migralink.linkage.spec import Comparison, LinkageSpec, LinkType

__all__ = ["default_spec", "febrl_spec"]


def default_spec(*, cross_script: bool = True, name: str = "full_name",
                 link_type: LinkType = "link_only") -> LinkageSpec:
    """Migrant registers: full name (any script), date of birth, sex, nationality, region.

    Args:
        cross_script: compare names through the Latin/Hangul phonetic keys; ``False`` is the
            ablation (plain Jaro-Winkler on the names as written).
        name: the full-name column.
        link_type: ``link_only`` (two registers) or ``dedupe_only``.
    """
    s, a = f"{name}__skey", f"{name}__akey"
    name_rules: tuple[str, ...]
    if cross_script:
        name_cmp = Comparison(name, "xscript_name", (0.92, 0.85, 0.75), True, "nationality")
        name_rules = (f"l.{s} = r.{s}",
                      # respelt vowels (엔/옌, 루/류); sex and nationality keep the blocks
                      # small (a missing one, coalesced to the other's, does not exclude)
                      f"l.{name}__skel = r.{name}__skel "
                      "AND coalesce(l.sex, r.sex) = coalesce(r.sex, l.sex) "
                      "AND coalesce(l.nationality, r.nationality) = "
                      "coalesce(r.nationality, l.nationality)",
                      f"l.{a} = r.{s}", f"l.{s} = r.{a}", f"l.{a} = r.{a}",
                      # the second most likely Sino-Korean reading of a pinyin name
                      f"l.{name}__akey2 = r.{s}", f"l.{s} = r.{name}__akey2",
                      # the passport spelling read letter by letter (XUAN → 크수안)
                      f"l.{name}__lkey = r.{s}", f"l.{s} = r.{name}__lkey",
                      *(f"l.{name}__{x} = r.{name}__{y} AND {same}"
                        for x in ("first", "last") for y in ("first", "last")
                        for same in ("substr(l.dob, 1, 4) = substr(r.dob, 1, 4)",
                                     "substr(l.dob, 6, 5) = substr(r.dob, 6, 5)")),
                      f"l.{name}__first = r.{name}__first AND l.{name}__last = r.{name}__last",
                      f"l.{name}__first = r.{name}__last AND l.{name}__last = r.{name}__first")
        # each session leaves out of training the fields it blocks on, so each field is
        # trained where pairs were not chosen for agreeing on it (or on part of it): blocked
        # on the name and the birth month, namesakes agreeing on the month lifted the date's
        # m to 0.925 (generating 0.901) at 10,000 persons, and at 50,000 the date and region
        # came out 0.02 low; this pair recovers every m within 0.003 at 50,000
        training = ("l.dob = r.dob AND l.region = r.region",
                    f"l.{s} = r.{s} AND l.nationality = r.nationality")
        deterministic = (f"l.{s} = r.{s} AND l.dob = r.dob",)
    else:
        name_cmp = Comparison(name, "jaro_winkler", (0.92, 0.8), True)
        name_rules = (f"l.{name} = r.{name}",)
        # names as written rarely agree across scripts: train them on demographic pairs
        training = ("l.dob = r.dob",
                    "l.sex = r.sex AND l.region = r.region AND l.nationality = r.nationality "
                    "AND substr(l.dob, 1, 4) = substr(r.dob, 1, 4)")
        deterministic = ("l.dob = r.dob AND l.sex = r.sex AND l.region = r.region "
                         "AND l.nationality = r.nationality",)
    return LinkageSpec(
        comparisons=(name_cmp, Comparison("dob", "date"), Comparison("sex"),
                     Comparison("nationality"), Comparison("region")),
        blocking_rules=("l.dob = r.dob", *name_rules,
                        # day and month swapped
                        "substr(l.dob, 1, 4) = substr(r.dob, 1, 4) AND substr(l.dob, 6, 2) = "
                        "substr(r.dob, 9, 2) AND substr(l.dob, 9, 2) = substr(r.dob, 6, 2)",
                        "substr(l.dob, 1, 7) = substr(r.dob, 1, 7) AND l.nationality = "
                        "r.nationality AND l.sex = r.sex",
                        "substr(l.dob, 6, 5) = substr(r.dob, 6, 5) AND l.nationality = "
                        "r.nationality AND l.sex = r.sex AND l.region = r.region"),
        training_rules=training,
        deterministic_rules=deterministic,
        deterministic_recall=0.6,
        link_type=link_type,
        # a register holds one record per registration number: a record keeps its single
        # best link, so a namesake scored beside the true match is dropped and even odds
        # (0.5) can be the threshold again (0.8 was needed against namesakes without it)
        threshold=0.5,
        one_to_one=link_type == "link_only",
        ignore_columns=("person_id",),
        name="migrant registers" + ("" if cross_script else " (no cross-script key)"),
    )


def febrl_spec(*, link_type: LinkType = "link_only") -> LinkageSpec:
    """FEBRL 3/4 without the social security id."""
    return LinkageSpec(
        comparisons=(Comparison("given_name", "jaro_winkler", (0.92, 0.8), True),
                     Comparison("surname", "jaro_winkler", (0.92, 0.8), True),
                     Comparison("dob", "date"),
                     Comparison("suburb", "jaro_winkler", (0.9,), True),
                     Comparison("postcode", "levenshtein", (1,)),
                     Comparison("street_number"),
                     Comparison("address_1", "jaro_winkler", (0.9, 0.7)),
                     Comparison("state")),
        blocking_rules=("l.given_name = r.given_name", "l.surname = r.surname", "l.dob = r.dob",
                        "l.postcode = r.postcode", "l.suburb = r.suburb"),
        training_rules=("l.dob = r.dob", "l.surname = r.surname", "l.given_name = r.given_name"),
        deterministic_rules=("l.given_name = r.given_name AND l.surname = r.surname "
                             "AND l.dob = r.dob",),
        deterministic_recall=0.6,
        link_type=link_type,
        threshold=0.5,
        ignore_columns=("entity",),
        name="febrl",
    )
