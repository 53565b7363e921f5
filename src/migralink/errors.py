"""The one error hierarchy of migralink.

Every error a user can meet is a :class:`MigralinkError`: it has a one-line ``title``,
a ``hint`` that says what to do, and a ``location`` (file, sheet, row, column) when it
comes from input data. The CLI prints ``str(error)`` on one line and exits non-zero;
the API maps the same errors to one JSON shape.

Tree::

    MigralinkError
    ├── ConfigError            bad configuration or mapping file
    ├── InputError             a source file that cannot be read as described
    │   └── ValidationError    the file reads, but its content breaks a rule
    ├── CodeError              a code (region, nationality, status) that cannot be resolved
    ├── StoreError             the evidence base refused an operation
    │   └── QueryError         a query that cannot be answered
    ├── FetchError             a remote source (KOSIS OpenAPI) failed
    └── DisclosureError        a table that disclosure control cannot protect as asked
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CodeError",
    "ConfigError",
    "DisclosureError",
    "FetchError",
    "InputError",
    "Location",
    "MigralinkError",
    "QueryError",
    "StoreError",
    "ValidationError",
]


@dataclass(frozen=True)
class Location:
    """Where in a source file a problem is: every part is optional.

    ``row`` is the 1-based line of a CSV file (header = line 1) or the 1-based sheet row
    of a workbook, so that a user can open the file and find the cell.
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


@dataclass
class MigralinkError(Exception):
    """Base of every migralink error.

    Attributes:
        title: what went wrong, in one short sentence.
        hint: what the user should do about it.
        location: where in the input it happened, if anywhere.
        details: further lines (e.g. every mismatching cell), shown after the message.
    """

    title: str
    hint: str = ""
    location: Location | None = None
    details: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        text = self.title
        if self.location is not None and str(self.location):
            text = f"{self.location}: {text}"
        if self.hint:
            text = f"{text} — {self.hint}"
        return text

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.title))

    @property
    def kind(self) -> str:
        """A stable machine-readable name for this error's class (used by the API)."""
        name = type(self).__name__
        return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


class ConfigError(MigralinkError):
    """A configuration value or mapping file is wrong."""


class InputError(MigralinkError):
    """A source file cannot be read as its mapping describes."""


class ValidationError(InputError):
    """A source file reads, but its content breaks a rule (totals, codes, counts)."""


class CodeError(MigralinkError):
    """A region, nationality or status code cannot be resolved."""


class StoreError(MigralinkError):
    """The evidence base refused an operation; ``sql`` holds the failing statement."""

    sql: str | None = None  # set by the gateway when an engine error is wrapped


class QueryError(StoreError):
    """A query that cannot be answered (unknown dataset, dimension, period...)."""


class FetchError(MigralinkError):
    """A remote source failed or answered something unexpected."""


class DisclosureError(MigralinkError):
    """A table that disclosure control cannot protect: missing margins, non-additive."""
