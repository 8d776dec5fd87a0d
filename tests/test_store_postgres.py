"""The PostgreSQL store: the behaviours of tests/test_store.py, parity with SQLite, a build.

Needs a server: ``export STORYLINE_TEST_PG="$(bash scripts/install-postgres.sh | tail -n 1)"``
then ``pytest -m server tests/test_store_postgres.py``.  Every test works in a fresh
PostgreSQL schema of its own (``?schema=`` in the URL), dropped afterwards.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.errors import StorylineError
from storyline.export import export_story, validate
from storyline.model import Article, PubDate
from storyline.store import SCHEMA_VERSION, Store, open_store

pytestmark = pytest.mark.server

BODY = (
    "The harbour authority said on Tuesday that talks with the dockworkers' union would resume next week. "
    "“We are ready to sign,” union leader Mara Velt told reporters.\n\n"
    "The strike has halted traffic at the port for more than two months."
)


def art(i: str, text: str = "The port of Velmar reopened on Monday.") -> Article:
    a = Article(id=i, source=f"{i}.txt", text=text, title=f"Title {i}", published=PubDate("2024-03-05", "day", "given", 1.0))
    a.layers["sentences"] = [{"start": 0, "end": len(text)}]
    a.layers["quotes"] = [{"start": 0, "end": 8, "text": text[:8], "kind": "direct", "speaker": {"name": "Mara Velt"}}]
    return a


@pytest.fixture
def pg(pg_url: str) -> Iterator[Callable[..., Store]]:
    """Open stores on the test's schema; all are closed at the end."""
    opened: list[Store] = []

    def open_(**kwargs: Any) -> Store:
        s = open_store(pg_url, **kwargs)
        opened.append(s)
        return s

    yield open_
    for s in opened:
        s.close()


# -- the behaviours of tests/test_store.py --------------------------------------------------


def test_dispatch_and_schema_version(pg: Callable[..., Store], pg_url: str) -> None:
    from storyline.store.postgres import MIGRATIONS, PostgresStore

    s = pg()
    assert isinstance(s, PostgresStore)
    assert s.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    assert ":***@" in s.path or "@" not in s.path  # the password is never shown
    # reopening an up-to-date store migrates nothing
    assert pg().schema_version == SCHEMA_VERSION
    # a newer schema than this code knows is refused with a clear message
    s.conn.execute("UPDATE storyline_meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 5),))
    with pytest.raises(StorylineError, match="newer than this storyline"):
        open_store(pg_url)


def test_urls_dispatch_and_passwords_are_redacted(tmp_path: Path) -> None:
    from storyline.store import is_postgres_url
    from storyline.store.postgres import redact_url

    assert is_postgres_url("postgresql://h/db") and is_postgres_url("postgres://h/db")
    assert not is_postgres_url(tmp_path / "postgresql:") and not is_postgres_url("story.db")
    assert redact_url("postgresql://u:secret@h:5432/db?schema=x") == "postgresql://u:***@h:5432/db?schema=x"
    assert "secret" not in redact_url("postgres://h/db?user=u&password=secret")


def test_missing_psycopg_is_a_catalogued_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(StorylineError, match=r"E004 .*psycopg.*pip install 'storyline\[postgres\]'"):
        open_store("postgresql://u@127.0.0.1/db")


def test_missing_store_is_named(pg_url: str) -> None:
    with pytest.raises(StorylineError, match="No store at .*storyline_test_"):
        open_store(pg_url, create=False)
    with pytest.raises(StorylineError, match="No store at"):
        open_store(pg_url, readonly=True)


def test_unreachable_server_is_a_catalogued_error() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StorylineError, match=r"E201 .*postgresql://u:\*\*\*@127.0.0.1:1/nowhere"):
        open_store("postgresql://u:pw@127.0.0.1:1/nowhere?connect_timeout=2")


def test_save_is_atomic(pg: Callable[..., Store]) -> None:
    s = pg()
    s.save_article(art("a"))
    bad = art("b")
    bad.layers["broken"] = [{"start": 0, "end": 1, "x": object()}]  # not JSON-serialisable
    with pytest.raises(TypeError):
        s.save_article(bad)
    assert s.article_ids() == ["a"]  # nothing of b was written
    assert s.get_layers("b") == {}
    assert [q["article"] for q in s.iter_quotes()] == ["a"]
    # the connection is usable after the rollback
    s.save_article(art("c"))
    assert s.article_ids() == ["a", "c"]


def test_nested_transactions_join_the_outer_one(pg: Callable[..., Store]) -> None:
    s = pg()
    with pytest.raises(RuntimeError), s.transaction():
        s.save_article(art("a"))
        s.put_corpus("events", "e1", {"id": "e1"})
        raise RuntimeError("boom")
    assert s.count_articles() == 0 and s.get_corpus("events") == {}


def test_resave_replaces_layers_and_quotes(pg: Callable[..., Store]) -> None:
    s = pg()
    a = art("a")
    s.save_article(a)
    a.layers["quotes"] = []
    s.save_article(a)
    assert list(s.iter_quotes()) == []
    assert s.count_articles() == 1


def test_search_articles_and_quotes(pg: Callable[..., Store]) -> None:
    s = pg()
    s.save_article(art("a"))
    s.save_article(art("b", "Talks in Orlen collapsed after the minister walked out."))
    hits = s.search("velmar")
    assert [r["id"] for r in hits] == ["a"]
    assert set(hits[0]) == {"id", "title", "published_date", "snippet"}
    assert "[Velmar]" in hits[0]["snippet"] and hits[0]["published_date"] == "2024-03-05"
    assert s.search('"; DROP TABLE articles; --') == []  # user text never reaches tsquery syntax
    assert s.search("velmar & !port | x:*") == []  # tsquery operators are not operators here
    assert s.search("   ") == [] and s.search_quotes("") == []
    assert s.count_articles() == 2
    assert sorted(q["article"] for q in s.search_quotes("Velt")) == ["a", "b"]
    q = s.search_quotes("mara velt")[0]
    assert {"id", "article", "start", "end", "text", "speaker"} <= set(q)
    assert [r["id"] for r in s.search("talks minister")] == ["b"]  # every word required
    assert s.search("talks velmar") == []
    assert [r["id"] for r in s.search("Title b")] == ["b"]  # titles are searched too
    assert len(s.search("title", limit=1)) == 1 and len(s.search("title", limit=1, offset=1)) == 1


def test_search_folds_case_and_diacritics(pg: Callable[..., Store]) -> None:
    s = pg()
    s.save_article(art("a", "Jürgen Müller spoke in São Paulo on e-mail and CAFÉ matters."))
    for query in ("muller", "MÜLLER", "sao paulo", "cafe", "jurgen", "mail"):
        assert [r["id"] for r in s.search(query)] == ["a"], query
    assert "[Müller]" in s.search("Müller")[0]["snippet"]


def test_delete_removes_everything(pg: Callable[..., Store]) -> None:
    s = pg()
    s.save_article(art("a"))
    s.put_blob("a", "vec", b"\x00\x01")
    s.delete_article("a")
    assert s.count_articles() == 0 and s.get_blob("a", "vec") is None and list(s.iter_quotes()) == []
    assert s.search("velmar") == []


def test_corpus_kinds(pg: Callable[..., Store]) -> None:
    s = pg()
    s.replace_corpus("events", {"e1": {"id": "e1"}, "e2": {"id": "e2"}})
    s.replace_corpus("events", {"e3": {"id": "e3"}})
    assert s.get_corpus("events") == {"e3": {"id": "e3"}}
    s.put_corpus("events", "e4", {"id": "e4"})
    assert s.get_corpus_item("events", "e4") == {"id": "e4"}
    assert s.get_corpus_item("events", "nope") is None


def test_layers_blobs_runs_and_state(pg: Callable[..., Store]) -> None:
    s = pg()
    s.save_article(art("a"), input_hash="ih", pipeline_version="pv", content_hash="ch")
    s.save_article(art("b"), content_hash="ch")
    assert s.input_state("a") == ("ih", "pv") and s.input_state("zz") is None
    assert s.ids_with_content("ch") == ["a", "b"]
    s.put_layer("a", "entities", [{"start": 0, "end": 3, "label": "ORG"}])
    assert s.get_layers("a", ["entities"]) == {"entities": [{"start": 0, "end": 3, "label": "ORG"}]}
    assert s.get_layers("a", []) == {}
    assert [aid for aid, _ in s.iter_layer("sentences")] == ["a", "b"]
    s.save_quotes("a", [{"start": 4, "end": 8, "text": "port", "speaker": {"name": "Ilse Varga"}, "said_on": {"value": "2024-03-01"}}])
    assert [q["article"] for q in s.search_quotes("varga")] == ["a"]
    assert s.get_layers("a", ["quotes"])["quotes"][0]["text"] == "port"
    blob = bytes(range(256))
    s.put_blob("a", "vec", blob)
    s.put_blob("a", "vec", blob[::-1])
    s.put_blob("b", "vec", blob)
    assert s.get_blob("a", "vec") == blob[::-1] and list(s.iter_blobs("vec")) == [("a", blob[::-1]), ("b", blob)]
    s.update_published("b", {"date": "2023-01-02", "precision": "day", "method": "body", "confidence": 0.5})
    assert [a.id for a in s.iter_articles()] == ["b", "a"]  # by published date
    assert s.get_article("b", layers=False).published.date == "2023-01-02"  # type: ignore[union-attr]
    run = s.start_run(["in/"], {"workers": 1})
    s.finish_run(run, {"added": 2}, [{"source": "x", "reason": "y"}])
    (r,) = s.runs()
    assert r["id"] == run and r["counts"] == {"added": 2} and r["inputs"] == ["in/"] and r["finished"] >= r["started"]


def test_bulk_reads_page_through_everything(pg: Callable[..., Store], monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.store.postgres import PostgresStore

    monkeypatch.setattr(PostgresStore, "_PAGE", 2)
    s = pg()
    ids = [f"a{i}" for i in range(5)]
    for i in ids:
        s.save_article(art(i))
        s.put_blob(i, "vec", i.encode())
    assert [aid for aid, _ in s.iter_layer("sentences")] == ids
    assert list(s.iter_blobs("vec")) == [(i, i.encode()) for i in ids]
    assert list(s.iter_layer("nothing")) == []


def test_nul_characters_are_stored_as_replacement(pg: Callable[..., Store]) -> None:
    s = pg()
    s.save_article(art("a", "Before\x00after the port."))
    a = s.get_article("a")
    assert a is not None and a.text == "Before\ufffdafter the port." and len(a.text) == len("Before\x00after the port.")


def test_readonly_refuses_writes(pg: Callable[..., Store]) -> None:
    pg().save_article(art("a"))
    ro = pg(readonly=True)
    assert ro.article_ids() == ["a"]
    with pytest.raises(Exception, match="read-only"):
        ro.save_article(art("b"))


def _same_operations(s: Store) -> dict[str, Any]:
    s.save_article(art("b", "Talks in Orlen collapsed after the minister walked out."))
    s.save_article(art("a"))
    nodate = art("c", "Velmar's mayor: the port of Velmar is open.")
    nodate.published = PubDate()
    nodate.layers["quotes"].append({"start": 9, "end": 14, "text": "mayor", "said_on": {"value": "2024-01-01"}})
    s.save_article(nodate)
    s.save_article(art("B", "Upper-case ids sort before lower-case ones in byte order."))
    s.replace_corpus("events", {"e2": {"id": "e2", "z": 1, "a": [1, {"é": None}]}, "E1": {"id": "E1"}})
    s.put_blob("a", "sig", b"\x00\xff")
    return {
        "articles": [a.to_dict() for a in s.iter_articles(layers=True)],
        "ids": s.article_ids(),
        "quotes": list(s.iter_quotes()),
        "layers": list(s.iter_layer("quotes")),
        "corpus": json.dumps(s.get_corpus("events")),  # key order included
        "blobs": list(s.iter_blobs("sig")),
        "search": [r["id"] for r in s.search("velmar")],
        "quote_search": sorted(q["id"] for q in s.search_quotes("mara")),
    }


def test_same_results_as_sqlite(pg: Callable[..., Store], tmp_path: Path) -> None:
    lite = open_store(tmp_path / "s.db")
    try:
        expected = _same_operations(lite)
    finally:
        lite.close()
    assert _same_operations(pg()) == expected


# -- end to end ----------------------------------------------------------------------------


def test_build_and_export(pg_url: str, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(BODY, encoding="utf-8")
    (d / "b.txt").write_text(BODY.replace("Mara Velt", "Ilse Varga").replace("Tuesday", "Friday"), encoding="utf-8")
    settings = storyline.Settings(workers=1, progress=False)
    report = storyline.build([d], db=pg_url, settings=settings)
    assert report.ok, report.errors
    assert len(report.added) == 2
    with open_store(pg_url) as store:
        story = export_story(store)
        validate(story)
        assert len(story["articles"]) == 2
        assert store.search("Varga") and store.search_quotes("ready to sign")
        assert store.runs()[-1]["counts"]
    again = storyline.build([d], db=pg_url, settings=settings)
    assert again.added == [] and sorted(again.unchanged) == sorted(report.added)
    # the same inputs built into SQLite give the same story
    lite_db = tmp_path / "s.db"
    storyline.build([d], db=lite_db, settings=settings)
    with open_store(lite_db) as lite, open_store(pg_url) as store:
        assert json.dumps(export_story(store, timeline=False), sort_keys=True) == json.dumps(
            export_story(lite, timeline=False), sort_keys=True
        )
