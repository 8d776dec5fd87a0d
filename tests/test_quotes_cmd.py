"""``storyline quotes``: listing stored quotes in date order, filtered by speaker."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from storyline.commands.quotes import quotes_cmd
from storyline.model import Article, PubDate
from storyline.store import open_store


def _quote(text: str, start: int, name: str, said: str | None, entity: str | None = None) -> dict:
    return {
        "start": start,
        "end": start + len(text),
        "text": text,
        "kind": "direct",
        "speaker": {"entity": entity, "cluster": None, "name": name, "start": 0, "end": 3, "text": name},
        "cue": {"start": 0, "end": 4, "text": "said"},
        "addressee": None,
        "via": [],
        "said_on": {"value": said, "precision": "day", "source": "timex"} if said else None,
    }


def _db(tmp_path: Path) -> str:
    path = str(tmp_path / "s.db")
    store = open_store(path)
    a = Article(
        id="a1",
        source="a.txt",
        text="x" * 200,
        title="Talks",
        outlet="Daily",
        published=PubDate(date="2024-05-01", precision="day"),
    )
    a.layers["quotes"] = [
        _quote("We are ready", 10, "Vladimir Putin", "2024-04-30", entity="e1"),
        _quote("No deal", 50, "Jane Roe", "2024-04-01"),
    ]
    b = Article(
        id="b2",
        source="b.txt",
        text="y" * 200,
        title="Later",
        outlet="Weekly",
        published=PubDate(date="2024-06-01", precision="day"),
    )
    b.layers["quotes"] = [_quote("Still ready", 5, "the Russian leader", None, entity="e1")]
    store.save_article(a)
    store.save_article(b)
    store.replace_corpus("entities", {"e1": {"name": "Vladimir Putin", "aliases": ["Putin", "the Russian leader"]}})
    store.close()
    return path


def test_lists_in_date_order_with_sources(tmp_path: Path) -> None:
    res = CliRunner().invoke(quotes_cmd, ["--db", _db(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["text"] for r in rows] == ["No deal", "We are ready", "Still ready"]
    assert rows[0]["source"]["outlet"] == "Daily" and rows[2]["source"]["title"] == "Later"


def test_speaker_filter_uses_entity_aliases(tmp_path: Path) -> None:
    res = CliRunner().invoke(quotes_cmd, ["--db", _db(tmp_path), "--speaker", "Putin", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [r["text"] for r in json.loads(res.output)] == ["We are ready", "Still ready"]


def test_text_format_and_missing_db(tmp_path: Path) -> None:
    res = CliRunner().invoke(quotes_cmd, ["--db", _db(tmp_path), "--speaker", "Jane Roe"])
    assert res.exit_code == 0 and "Jane Roe" in res.output and "No deal" in res.output and "Daily" in res.output
    res = CliRunner().invoke(quotes_cmd, ["--db", str(tmp_path / "none.db")])
    assert res.exit_code != 0 and "E203" in res.output
