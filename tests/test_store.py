"""The SQLite store: schema versioning, atomic writes, search, corpus results."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storyline.errors import StorylineError
from storyline.model import Article, PubDate
from storyline.store import SCHEMA_VERSION, fts_query, open_store


def art(i: str, text: str = "The port of Velmar reopened on Monday.") -> Article:
    a = Article(id=i, source=f"{i}.txt", text=text, title=f"Title {i}", published=PubDate("2024-03-05", "day", "given", 1.0))
    a.layers["sentences"] = [{"start": 0, "end": len(text)}]
    a.layers["quotes"] = [{"start": 0, "end": 8, "text": text[:8], "kind": "direct", "speaker": {"name": "Mara Velt"}}]
    return a


def test_schema_version_and_wal(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db")
    assert s.schema_version == SCHEMA_VERSION
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()
    # a newer schema than this code knows is refused with a clear message
    c = sqlite3.connect(tmp_path / "s.db")
    c.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    c.close()
    with pytest.raises(StorylineError, match="newer than this storyline"):
        open_store(tmp_path / "s.db")


def test_missing_store_is_named(tmp_path: Path) -> None:
    with pytest.raises(StorylineError, match="No store at .*none.db"):
        open_store(tmp_path / "none.db", create=False)


def test_save_is_atomic(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db")
    s.save_article(art("a"))
    bad = art("b")
    bad.layers["broken"] = [{"start": 0, "end": 1, "x": object()}]  # not JSON-serialisable
    with pytest.raises(TypeError):
        s.save_article(bad)
    assert s.article_ids() == ["a"]  # nothing of b was written
    assert s.get_layers("b") == {}
    assert [q["article"] for q in s.iter_quotes()] == ["a"]


def test_resave_replaces_layers_and_quotes(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db")
    a = art("a")
    s.save_article(a)
    a.layers["quotes"] = []
    s.save_article(a)
    assert list(s.iter_quotes()) == []
    assert s.count_articles() == 1


def test_search_articles_and_quotes(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db")
    s.save_article(art("a"))
    s.save_article(art("b", "Talks in Orlen collapsed after the minister walked out."))
    assert [r["id"] for r in s.search("velmar")] == ["a"]
    assert s.search('"; DROP TABLE articles; --') == []  # user text never reaches FTS syntax
    assert s.count_articles() == 2
    assert sorted(q["article"] for q in s.search_quotes("Velt")) == ["a", "b"]
    assert fts_query('a "b" c*') == '"a" "b" "c"'


def test_delete_removes_everything(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db")
    s.save_article(art("a"))
    s.put_blob("a", "vec", b"\x00\x01")
    s.delete_article("a")
    assert s.count_articles() == 0 and s.get_blob("a", "vec") is None and list(s.iter_quotes()) == []
    assert s.search("velmar") == []


def test_corpus_kinds(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.db")
    s.replace_corpus("events", {"e1": {"id": "e1"}, "e2": {"id": "e2"}})
    s.replace_corpus("events", {"e3": {"id": "e3"}})
    assert s.get_corpus("events") == {"e3": {"id": "e3"}}
    s.put_corpus("events", "e4", {"id": "e4"})
    assert s.get_corpus_item("events", "e4") == {"id": "e4"}
