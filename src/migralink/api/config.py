"""How the API server is configured: one typed, frozen value checked when it is built.

The token never leaves the process through :meth:`ApiConfig.to_json`: a configuration
file can be shared or committed, the secret stays in the environment
(``MIGRALINK_API_TOKEN``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from migralink.errors import ConfigError

__all__ = ["TOKEN_ENV", "ApiConfig"]

#: The environment variable holding the bearer token that turns ingestion on.
TOKEN_ENV = "MIGRALINK_API_TOKEN"


#: RFC 6750's b64token: what an ``Authorization: Bearer`` header can carry.
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def _token_from_env() -> str | None:
    return os.environ.get(TOKEN_ENV) or None  # an empty variable means "no token"


@dataclass(frozen=True)
class ApiConfig:
    """Settings of the HTTP API.

    Attributes:
        db: the evidence base (DuckDB file). It must exist: build it with
            ``migralink sample load`` or ``migralink ingest`` first.
        read_only: serve only (the default). ``False`` adds ``POST /api/v1/ingest`` and
            needs a ``token``. Reads always go through read-only connections either way.
        token: the bearer token that ingestion requests must present; by default read
            from ``MIGRALINK_API_TOKEN``. Never written by :meth:`to_json`.
        default_limit: rows of a JSON page when the request gives no ``limit``.
        max_limit: the largest ``limit`` a request may ask for.
        max_age: seconds a client or proxy may reuse a response (``Cache-Control``).
        response_cache: responses kept in memory, keyed by their ETag; ``0`` turns the
            cache off (every request is computed).
        release_after: seconds without a request after which the server lets go of the
            database file, so that ``migralink ingest`` in another process can take the
            write lock (DuckDB allows one writer or many readers, never both);
            ``None`` holds the file for as long as the server runs.
        disclosure_policy: the :class:`~migralink.disclosure.DisclosurePolicy` as JSON
            (``DisclosurePolicy.to_json``); ``None`` uses the policy's defaults.
    """

    db: Path
    read_only: bool = True
    token: str | None = field(default_factory=_token_from_env, repr=False)
    default_limit: int = 1_000
    # A JSON page of 10,000 rows is about 1.5 MB: beyond that a client should use CSV or
    # Parquet, which are not paged unless asked.
    max_limit: int = 10_000
    max_age: int = 300
    response_cache: int = 1_024
    release_after: float | None = 2.0
    disclosure_policy: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "db", Path(self.db))
        for name in ("default_limit", "max_limit"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise _bad(name, value, "a whole number of at least 1")
        if self.default_limit > self.max_limit:
            raise _bad("default_limit", self.default_limit,
                       f"at most max_limit ({self.max_limit})")
        for name in ("max_age", "response_cache"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _bad(name, value, "a whole number of at least 0")
        if self.release_after is not None and not self.release_after > 0:
            raise _bad("release_after", self.release_after, "a number of seconds above 0, "
                       "or null to hold the file")
        if self.token is not None and not _TOKEN.fullmatch(self.token):
            # an HTTP header carries Latin-1 at most: 'tök€n' could never be sent, and
            # every upload would be refused with a 401 that does not say why
            raise ConfigError(
                title=f"{TOKEN_ENV} holds characters a bearer token cannot carry",
                hint="use letters, digits and -._~+/ only, e.g. the output of "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'",
            )
        if not self.read_only and not self.token:
            raise ConfigError(
                title="ingestion through the API needs a token",
                hint=f"set {TOKEN_ENV} (or ApiConfig.token), or keep read_only=True",
            )
        if self.disclosure_policy is not None:
            self.policy()  # fail at start-up, not on the first protected request

    @property
    def ingest_enabled(self) -> bool:
        """Whether ``POST /api/v1/ingest`` exists."""
        return not self.read_only and self.token is not None

    @classmethod
    def from_env(cls, db: str | Path, **overrides: Any) -> ApiConfig:
        """What ``migralink serve`` uses: a token in the environment turns ingestion on.

        Args:
            db: the evidence base.
            **overrides: any other field.
        """
        token = overrides.pop("token", _token_from_env())
        read_only = overrides.pop("read_only", token is None)
        return cls(db=Path(db), token=token, read_only=read_only, **overrides)

    def policy(self) -> Any:
        """The disclosure policy in force (a ``DisclosurePolicy``).

        Raises:
            ConfigError: the policy JSON is not valid.
        """
        from migralink.disclosure import DisclosurePolicy

        if self.disclosure_policy is None:
            return DisclosurePolicy()
        return DisclosurePolicy.from_json(self.disclosure_policy)

    def to_json(self) -> str:
        """Every field but the token, as a JSON object."""
        data = asdict(self)
        data.pop("token")
        data["db"] = str(self.db)
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ApiConfig:
        """Read what :meth:`to_json` wrote; the token comes from the environment.

        Raises:
            ConfigError: not a JSON object, or an unknown field.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(title=f"an API configuration is not valid JSON: {exc}",
                              hint="write it as ApiConfig.to_json does") from exc
        if not isinstance(data, dict) or "db" not in data:
            raise ConfigError(title="an API configuration must be a JSON object with 'db'",
                              hint='e.g. {"db": "migralink.duckdb"}')
        known = {f.name for f in fields(cls)} - {"token"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(title=f"unknown API configuration fields: {', '.join(unknown)}",
                              hint=f"the fields are {', '.join(sorted(known))}")
        return cls(**data)

def _bad(name: str, value: object, expected: str) -> ConfigError:
    return ConfigError(title=f"API configuration: {name} = {value!r} is not allowed",
                       hint=f"{name} must be {expected}")
