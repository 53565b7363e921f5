"""``ApiConfig``: checked when built, a JSON round trip that never carries the token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import migralink.api
from migralink.api import ApiConfig, create_app
from migralink.api.config import TOKEN_ENV
from migralink.errors import ConfigError


def test_public_surface() -> None:
    assert set(migralink.api.__all__) == {"API_PREFIX", "ApiConfig", "create_app", "serve"}
    assert migralink.api.API_PREFIX == "/api/v1"


def test_defaults_are_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    config = ApiConfig(db=Path("x.duckdb"))
    assert config.read_only
    assert config.token is None
    assert not config.ingest_enabled


def test_from_env_turns_ingestion_on_with_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "s3cret")
    config = ApiConfig.from_env("x.duckdb")
    assert config.ingest_enabled
    assert "s3cret" not in repr(config)
    monkeypatch.setenv(TOKEN_ENV, "")  # an empty variable is no token
    assert not ApiConfig.from_env("x.duckdb").ingest_enabled


def test_json_round_trip_leaves_the_token_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "s3cret")
    config = ApiConfig(db=Path("x.duckdb"), read_only=False, max_age=60, response_cache=0,
                       release_after=None, disclosure_policy='{"threshold": 5}')
    text = config.to_json()
    assert "s3cret" not in text
    assert ApiConfig.from_json(text) == config  # the token comes back from the environment
    assert json.loads(text)["db"] == "x.duckdb"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"default_limit": 0}, "default_limit"),
        ({"max_limit": True}, "max_limit"),
        ({"default_limit": 50, "max_limit": 10}, "default_limit"),
        ({"max_age": -1}, "max_age"),
        ({"release_after": 0}, "release_after"),
        ({"read_only": False, "token": None}, "token"),
        # a header carries Latin-1 at most: every upload got a 401 that did not say why
        ({"read_only": False, "token": "tök€n-7"}, "MIGRALINK_API_TOKEN"),
        ({"read_only": False, "token": "two words"}, "MIGRALINK_API_TOKEN"),
        ({"disclosure_policy": '{"threshold": 0}'}, "threshold"),
    ],
)
def test_bad_values_are_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ApiConfig(db=Path("x.duckdb"), **changes)  # type: ignore[arg-type]
    assert field in str(caught.value)


def test_from_json_refuses_unknown_fields() -> None:
    with pytest.raises(ConfigError, match="colour"):
        ApiConfig.from_json('{"db": "x.duckdb", "colour": "red"}')
    with pytest.raises(ConfigError):
        ApiConfig.from_json("[1]")


def test_the_database_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        create_app(ApiConfig(db=tmp_path / "missing.duckdb", token=None))
