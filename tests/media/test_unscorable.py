"""What the classifier cannot score, and files the monitor must refuse (the tester's M1-M5).

Inputs are real: K-MHaS news comments (its test split holds empty-looking, English, Chinese
and emoji-only comments, which the model cannot read), immigrant-survey answers strung
into a long text; only the defects under test (an empty cell, a missing key, a bad date)
are written around them at test time.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from migralink.evidence import Evidence
from migralink.media.corpora import evaluation_sets, neutral_check_sentences, neutral_sentences
from migralink.media.model import HostilityModel, load_model
from migralink.media.monitor import MONITOR_DATASET
from migralink.media.pieces import (
    EMPTY,
    NO_HANGUL,
    PIECE_CHARS,
    SCORED,
    pieces,
    scorable_pieces,
    status_of,
)
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def comments(media: Path) -> list[dict[str, str]]:
    with (media / "kmhas" / "kmhas_test.txt").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="module")
def model() -> HostilityModel:
    return load_model()


def _hostile_comment(comments: list[dict[str, str]], model: HostilityModel) -> str:
    """The first K-MHaS comment naming a nationality that the model flags."""
    named = [r["document"] for r in comments if "중국" in r["document"]][:40]
    return next(t for t, d in zip(named, model.classify(named), strict=True) if d.hostile)


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "date", "source"])
        writer.writerows(rows)
    return path


def test_empty_and_non_korean_texts_get_a_status_not_a_score(
        comments: list[dict[str, str]], model: HostilityModel) -> None:
    foreign = [r["document"] for r in comments if status_of(r["document"]) == NO_HANGUL]
    english = next(t for t in foreign if t.startswith("I think women"))
    chinese = next(t for t in foreign if "举办" in t)
    hostile = _hostile_comment(comments, model)
    texts: list[str | None] = [hostile, "", "   \t", "\u200b\u200b", None, english, chinese]
    decisions = model.classify(texts)
    assert [d.status for d in decisions] == [SCORED, EMPTY, EMPTY, EMPTY, EMPTY, NO_HANGUL,
                                             NO_HANGUL]
    assert all(d.hostile is None and d.score is None for d in decisions[1:])
    assert decisions[5].as_dict()["status"] == NO_HANGUL
    # the Korean comment is scored exactly as it is alone
    assert decisions[0] == model.classify([hostile])[0]
    assert decisions[0].hostile == 1
    with pytest.raises(ValueError, match="not scored"):
        _ = decisions[1].probability


def test_no_evaluated_korean_text_loses_its_score(media: Path) -> None:
    """The Hangul rule leaves every text the published figures rest on scored, except
    K-MHaS Race's comments in no Korean at all (13, none hostile)."""
    sets = evaluation_sets(media)
    for name, rows in sets.items():
        unscored = [r for r in rows if status_of(r.text) != SCORED]
        assert len(unscored) == (13 if name == "kmhas_race" else 0), name
        assert all(r.label == 0 for r in unscored)
    for text in neutral_sentences(media) + neutral_check_sentences(media):
        assert status_of(text) == SCORED


def test_classify_leaves_unscored_rows_empty_and_says_so(
        comments: list[dict[str, str]], tmp_path: Path) -> None:
    english = next(r["document"] for r in comments if r["document"].startswith("Suzy"))
    korean = comments[0]["document"]
    path = _write_csv(tmp_path / "mixed.csv", [[korean, "2020-01-01", "a"],
                                               ["", "2020-01-01", "a"],
                                               [english, "2020-01-01", "a"]])
    result = run_cli("media", "classify", str(path))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["status"] for r in rows] == [SCORED, EMPTY, NO_HANGUL]
    assert rows[0]["score"] != ""
    assert [r["hostile"] for r in rows[1:]] == ["", ""]
    assert [r["score"] for r in rows[1:]] == ["", ""]
    assert "1 empty, 1 no Hangul" in result.stderr


def test_monitor_counts_only_scored_texts(
        comments: list[dict[str, str]], model: HostilityModel, tmp_path: Path) -> None:
    """mon1.csv's January: one hostile comment and one empty row is 1 hostile of 1 text."""
    hostile = _hostile_comment(comments, model)
    path = _write_csv(tmp_path / "mon.csv", [[hostile, "2024-01-05", "a"],
                                             ["", "2024-01-06", "a"],
                                             ["  ", "2024-01-07", "a"],
                                             [hostile, "2024/02/01 10:00", "a"]])
    db = tmp_path / "ev.duckdb"
    result = run_cli("media", "monitor", str(path), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert "not counted: 2 empty" in result.stderr
    with Evidence(db, read_only=True) as ev:
        texts = ev.query(MONITOR_DATASET, by=["period"]).frame.sort("period")
        hostile_n = ev.query(MONITOR_DATASET, by=["period"], measure="hostile").frame.sort(
            "period")
    assert texts["period"].to_list() == ["2024-01", "2024-02"]
    assert texts["value"].to_list() == [1, 1]
    assert hostile_n["value"].to_list() == [1, 1]
    # a JSONL line without "text" is empty too; a file of nothing scorable is refused
    jsonl = tmp_path / "m2.jsonl"
    jsonl.write_text(json.dumps({"text": hostile, "date": "2024-01-01"}, ensure_ascii=False)
                     + "\n\n" + json.dumps({"date": "2024-01-01"}) + "\n", encoding="utf-8")
    result = run_cli("media", "monitor", str(jsonl), "--db", str(tmp_path / "j.duckdb"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 texts, 1 hostile")
    empty_only = _write_csv(tmp_path / "blank.csv", [["", "2024-01-01", "a"]])
    result = run_cli("media", "monitor", str(empty_only), "--db", str(tmp_path / "b.duckdb"))
    assert result.exit_code == 1
    assert "could be scored" in result.stderr
    assert not (tmp_path / "b.duckdb").exists()


@pytest.mark.parametrize(("date", "row"), [("0000-01-01", 3), ("2024-02-30", 3),
                                           ("2024-2", 3), ("13/01/2024", 3),
                                           ("2024-13-01", 3), ("2999-01-01", 3)])
def test_impossible_dates_are_refused_and_nothing_lands(
        comments: list[dict[str, str]], tmp_path: Path, date: str, row: int) -> None:
    path = _write_csv(tmp_path / "dates.csv", [[comments[0]["document"], "2024-01-05", "a"],
                                               [comments[1]["document"], date, "a"]])
    db = tmp_path / "x.duckdb"
    result = run_cli("media", "monitor", str(path), "--db", str(db))
    assert result.exit_code == 1
    assert f"dates.csv, row {row}, column 'date'" in result.stderr
    assert repr(date) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_a_bad_date_in_jsonl_names_its_line(
        comments: list[dict[str, str]], tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    first, second = ({"text": comments[i]["document"], "date": d}
                     for i, d in ((0, "2024-01-05"), (1, "2024-02-30")))
    path.write_text(json.dumps(first, ensure_ascii=False) + "\n\n"  # line 2 is blank
                    + json.dumps(second, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_cli("media", "monitor", str(path), "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 1
    assert "row 3, column 'date'" in result.stderr


@pytest.mark.parametrize(("content", "name", "command"), [
    ("", "empty.csv", "classify"), ("", "empty.csv", "monitor"),
    ("text,date\n", "header.csv", "classify"), ("text,date\n", "header.csv", "monitor"),
    ("", "empty.jsonl", "classify"), ("\n\n", "blank.jsonl", "monitor")])
def test_empty_files_get_one_line_errors(tmp_path: Path, content: str, name: str,
                                         command: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    extra = ["--db", str(tmp_path / "x.duckdb")] if command == "monitor" else []
    result = run_cli("media", command, str(path), *extra)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]
    assert not (tmp_path / "x.duckdb").exists()


def test_a_long_text_is_scored_in_bounded_pieces(
        media: Path, comments: list[dict[str, str]], model: HostilityModel) -> None:
    """A ~40,000-character text of real survey answers with one hostile comment at its
    end: cut into sentences no longer than PIECE_CHARS, every word kept in order, and
    the text flagged by the comment (M4: the cost of scoring one piece
    is bounded, so the cost of a text grows with its number of pieces)."""
    path = media / "denney-korea-corpora" / "immigrant_interviews" / "immigrant_interview.csv"
    with path.open(encoding="utf-8") as f:
        answers = [r["text"].strip() + "." for r in csv.DictReader(f) if r["text"].strip()]
    hostile = _hostile_comment(comments, model)
    text = " ".join(answers * 4)[:40_000] + " " + hostile
    cut = pieces(text)
    assert all(len(p) <= PIECE_CHARS for p in cut)
    assert " ".join(cut).split() == text.split()
    assert sum(len(p) for p in cut) <= len(text)
    assert pieces(hostile) == [hostile]
    unbroken = "가" * (PIECE_CHARS * 2 + 5)  # one word longer than a piece is cut anyway
    assert [len(p) for p in pieces(unbroken)] == [PIECE_CHARS, PIECE_CHARS, 5]
    long_decision, calm = model.classify([text, " ".join(answers[:3])])
    assert long_decision.status == SCORED
    assert long_decision.hostile == 1
    by_piece = model.classify(cut)
    assert long_decision.score == pytest.approx(max(d.score or 0.0 for d in by_piece), abs=1e-6)
    assert by_piece[-1].hostile == 1
    assert scorable_pieces(text) == [p for p, d in zip(cut, by_piece, strict=True)
                                     if d.status == SCORED]
    assert calm.hostile == 0
