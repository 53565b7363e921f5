"""The disclosure policy: one typed object that says how a table is protected.

Every published table (CLI export, API, dashboard, report) goes through
:func:`migralink.disclosure.protect` with a :class:`DisclosurePolicy`. The policy is a
frozen dataclass, checked when it is built, and written to and read from JSON so that
the policy of a release can be stored next to it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from migralink.errors import ConfigError

__all__ = ["DEFAULT_AUDIT_LIMIT", "DisclosurePolicy"]

#: No limit: every table is audited (bound propagation, then LPs where needed).
DEFAULT_AUDIT_LIMIT: int | None = None
#: Total privacy loss (epsilon) one register may spend over all its DP releases.
DEFAULT_DP_BUDGET = 4.0


def _is_int(value: object) -> bool:
    # bool is an int in Python; a policy's ``threshold=True`` is a mistake, not a 1.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(float(value))  # type: ignore[arg-type]


@dataclass(frozen=True)
class DisclosurePolicy:
    """How a table is protected before it is published.

    Attributes:
        threshold: counts from 1 to ``threshold - 1`` are sensitive and suppressed
            (primary suppression, ``CONF_STATUS`` ``A``). ``1`` turns primary
            suppression off (a rounding-only or DP-only release).
        suppress_zeros: also treat zero counts as sensitive. Off by default: a zero
            reveals nothing about a person. With it on, zero cells must be rows of the
            table (a missing row is read as a published zero).
        protection: the protection level, as a share of a sensitive cell's value: the
            interval an attacker can derive for a primary-suppressed cell of value
            ``v`` must be at least ``protection * v`` wide.
        min_interval: the smallest width of the interval an attacker can derive for any
            suppressed cell, in persons: a primary cell needs
            ``max(min_interval, protection * v)``, a secondary cell ``min_interval`` (it
            must not be recoverable). ``1.0`` means the attacker cannot pin a cell down
            to within one person.
        rounding_base: round the finest cells to multiples of this base and rebuild
            every margin by adding them (controlled rounding, ``OBS_STATUS`` ``E``);
            ``None`` publishes exact counts.
        dp_epsilon: release the counts with differential privacy: discrete Laplace
            noise of scale ``1 / dp_epsilon`` on every finest cell (OpenDP), clamped
            at zero, margins rebuilt by addition. ``None`` publishes exact counts.
        dp_seed: draw the DP noise from a seeded NumPy generator instead of OpenDP's
            secure sampler, so that a test gets the same output twice. Never for a
            real release: a seeded draw can be replayed.
        dp_budget: the privacy-loss budget of one register: the total epsilon that
            all DP releases computed from it may spend (every table, period and
            version); a release beyond it is refused.
        distinguish_statuses: publish primary (``A``) and secondary (``D``)
            suppressions apart. Anyone then knows ``A`` ≤ T − 1 and ``D`` ≥ T, which
            with the rows present (each ≥ 1) can pin a cell down beyond any pattern's
            help (9 present rows under a primary total of at most 9). ``False``
            publishes every suppressed cell as ``C`` (confidential): the attacker
            knows only ≥ 1, and such tables can be protected.
        protect_public: also protect tables flagged as public (aggregates the
            ministries already publish); by default they are released as they are.
        audit_limit: ``None`` (the default, and the only value the release gate
            accepts): every table is audited, however large. An integer skips the
            audit above that many cells, leaving the singleton heuristic alone; it
            exists to measure that heuristic (``bench/disclosure.py``), never to
            release.
    """

    threshold: int = 10
    suppress_zeros: bool = False
    protection: float = 0.1
    min_interval: float = 1.0
    rounding_base: int | None = None
    dp_epsilon: float | None = None
    dp_seed: int | None = None
    dp_budget: float = DEFAULT_DP_BUDGET
    distinguish_statuses: bool = True
    protect_public: bool = False
    audit_limit: int | None = DEFAULT_AUDIT_LIMIT

    def __post_init__(self) -> None:
        if not _is_int(self.threshold) or self.threshold < 1:
            raise _bad("threshold", self.threshold, "an integer of at least 1 (1 = no "
                       "primary suppression)")
        for name in ("suppress_zeros", "protect_public", "distinguish_statuses"):
            if not isinstance(getattr(self, name), bool):
                raise _bad(name, getattr(self, name), "true or false")
        for name in ("protection", "min_interval"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise _bad(name, value, "a finite number of at least 0")
        if self.rounding_base is not None and (
            not _is_int(self.rounding_base) or self.rounding_base < 2
        ):
            raise _bad("rounding_base", self.rounding_base, "an integer of at least 2, or "
                       "null for no rounding")
        if self.dp_epsilon is not None and (not _is_number(self.dp_epsilon)
                                            or self.dp_epsilon <= 0):
            raise _bad("dp_epsilon", self.dp_epsilon, "a finite number above 0, or null "
                       "for no differential privacy")
        if self.dp_seed is not None and not _is_int(self.dp_seed):
            raise _bad("dp_seed", self.dp_seed, "an integer, or null for OpenDP's sampler")
        if not _is_number(self.dp_budget) or self.dp_budget <= 0:
            raise _bad("dp_budget", self.dp_budget, "a finite number above 0")
        if self.audit_limit is not None and (not _is_int(self.audit_limit)
                                             or self.audit_limit < 0):
            raise _bad("audit_limit", self.audit_limit, "null (always audit) or an "
                       "integer of at least 0")

    def requirement(self, value: float, *, primary: bool) -> float:
        """The width the attacker's interval of a suppressed cell must reach."""
        if primary:
            return max(self.min_interval, self.protection * value)
        return self.min_interval

    def to_json(self) -> str:
        """The policy as a JSON object (every field, by name)."""
        return json.dumps(asdict(self), sort_keys=True)

    def to_json_dict(self) -> dict[str, Any]:
        """The policy as JSON-ready values (every field, by name)."""
        return asdict(self)

    @classmethod
    def from_json(cls, text: str) -> DisclosurePolicy:
        """Read a policy written by :meth:`to_json`; missing fields take their default.

        Raises:
            ConfigError: the text is not a JSON object, has an unknown field, or a
                value breaks a rule of the policy.
        """
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(title=f"a disclosure policy is not valid JSON: {exc}",
                              hint="write it as DisclosurePolicy.to_json does") from exc
        if not isinstance(data, dict):
            raise ConfigError(title="a disclosure policy must be a JSON object",
                              hint='e.g. {"threshold": 10, "protection": 0.1}')
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                title=f"unknown disclosure policy fields: {', '.join(unknown)}",
                hint=f"the fields are {', '.join(sorted(known))}",
            )
        return cls(**data)


def _bad(name: str, value: object, expected: str) -> ConfigError:
    return ConfigError(
        title=f"disclosure policy: {name} = {value!r} is not allowed",
        hint=f"{name} must be {expected}",
    )
