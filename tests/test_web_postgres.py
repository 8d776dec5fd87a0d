"""The web UI, HTTP API and report over a PostgreSQL store: the same as over SQLite.

The ``server`` tests need a PostgreSQL server (``STORYLINE_TEST_PG``, see tests/conftest.py):
the bundled example corpus is built into a fresh schema and served with Starlette's test
client; the hostile sample story is served from both stores and the answers compared.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import storyline  # noqa: E402
from conftest import fresh_pg_schema  # noqa: E402
from storyline.model import Article, PubDate  # noqa: E402
from storyline.store import open_store, split_snippet  # noqa: E402
from storyline.store.postgres import snippet  # noqa: E402
from storyline.web.app import create_app  # noqa: E402
from storyline.web.report import render_report  # noqa: E402
from storyline.web.sample import hostile_store  # noqa: E402

server = pytest.mark.server
CORPUS = Path(__file__).resolve().parents[1] / "examples" / "harbour-strike" / "articles"


# -- the PostgreSQL snippet is FTS5's ------------------------------------------------------
TEXTS = [
    "Officials met on 2 December 2022. <script>x=1</script> Minister Jane Roe said “we will not accept "
    "<img src=x> any deal”. Read more at javascript:window.__xss=3 today.",
    "Later, in 2023, Jane Roe changed her position on the deal and welcomed talks.",
    "The strike began on April 17. Talks collapsed in June: the union said the deal was dead. "
    "In October the court refused to halt the strike, and in December the talks resumed at the ministry. " * 3,
    "Herr Müller sagte: das ist gut. Der Hafen bleibt zu, sagte MÜLLER später.",
]


@pytest.mark.parametrize("query", ["deal", "jane roe", "talks", "strike court", "muller", "december ministry"])
@pytest.mark.parametrize("size", [6, 16, 24])
def test_snippet_matches_fts5(query: str, size: int) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    for text in TEXTS:
        conn.execute("DELETE FROM t")
        conn.execute("INSERT INTO t VALUES (?)", (text,))
        words = " ".join(f'"{w}"' for w in query.split())
        row = conn.execute(
            "SELECT snippet(t, 0, char(2), char(3), '…', ?) FROM t WHERE t MATCH ?", (size, words)
        ).fetchone()
        if row is None:
            continue
        assert snippet(text, set(query.split()), size) == split_snippet(row[0]), (text, query, size)


# -- the example corpus, built into PostgreSQL ------------------------------------------------
@pytest.fixture(scope="module")
def pg_story() -> Iterator[str]:
    with fresh_pg_schema() as url:
        report = storyline.build([CORPUS], db=url, settings=storyline.Settings(workers=1, progress=False))
        assert report.ok, report.errors
        yield url


@pytest.fixture(scope="module")
def client(pg_story: str) -> Iterator[TestClient]:
    with TestClient(create_app(pg_story)) as c:
        yield c


def _html(client: TestClient, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def _json(client: TestClient, path: str) -> Any:
    r = client.get(path)
    assert r.status_code == 200, (path, r.text[:500])
    return r.json()


@server
def test_pages_render_from_postgres(client: TestClient) -> None:
    articles = _json(client, "/api/articles?limit=100")
    assert articles["total"] == len(articles["items"]) >= 10
    home = _html(client, "/")
    assert "Vessmark" in home or "Saltmere" in home
    first = next(a for a in articles["items"] if a.get("title"))
    page = _html(client, f"/articles/{first['id']}")
    assert first["title"].split()[0].replace("'", "&#39;") in page
    entities = _json(client, "/api/entities?limit=500")["items"]
    assert any(e["name"] == "Helena Varga" for e in entities)
    assert "Helena Varga" in _html(client, "/entities")
    varga = next(e for e in entities if e["name"] == "Helena Varga")
    assert "Helena Varga" in _html(client, f"/actors/{varga['id']}")
    assert _json(client, f"/api/entities/{varga['id']}")["id"] == varga["id"]
    assert _json(client, f"/api/timeline?actor={varga['id']}")["actor"]["id"] == varga["id"]
    quotes = _json(client, "/api/quotes?limit=500")
    assert quotes["total"] >= 5 and quotes["items"][0]["text"]
    assert "Varga" in _html(client, "/quotes?speaker=Varga")
    assert _json(client, "/api/articles/" + first["id"])["id"] == first["id"]
    assert _json(client, "/api/events")["total"] >= 1
    assert _json(client, "/api/timeline")["total"] >= 1
    assert _json(client, "/openapi.json")["openapi"]
    for path in ("/?from=2023-12&to=2023-12", "/?topic=strike", "/quotes?q=deal", "/entities?sort=name"):
        _html(client, path)


@server
def test_search_from_postgres_highlights_hits(client: TestClient) -> None:
    body = _json(client, "/api/search?q=Varga")
    arts, quotes = body["articles"], body["quotes"]
    assert arts["total"] >= 2 and quotes["total"] >= 1
    for hit in arts["items"]:
        assert set(hit) == {"id", "title", "outlet", "url", "published", "snippet", "highlights"}
        for s, e in hit["highlights"]:
            assert hit["snippet"][s:e].lower() == "varga"
    assert any(hit["highlights"] for hit in arts["items"])
    page = _html(client, "/search?q=Varga")
    assert "<mark>Varga</mark>" in page
    assert f"({quotes['total']})" in page  # the quote hits are counted and listed
    # quote search: every word required, speakers searched too
    said = _json(client, "/api/search?q=good+day")["quotes"]
    assert said["total"] >= 1 and all("good day" in q["text"].lower() for q in said["items"])
    assert _json(client, "/api/search?q=zzzunknownword")["articles"]["total"] == 0
    filtered = _json(client, "/api/quotes?q=good+day")
    assert filtered["total"] == said["total"]
    # paging: the total stays, the items move
    one = _json(client, "/api/search?q=strike&limit=1&offset=1")["articles"]
    assert one["total"] > 1 and len(one["items"]) == 1


@server
def test_writes_are_seen_on_the_next_request(pg_story: str, client: TestClient) -> None:
    """The cache follows the store's data_version: a build on another connection shows at once."""
    before = _json(client, "/api/articles")["total"]
    assert _json(client, "/api/search?q=Quillon")["articles"]["total"] == 0
    text = "Harbour pilot Ada Quillon said the port would reopen on Monday."
    a = Article(id="late-news", source="late.txt", text=text, title="Late news", published=PubDate("2023-12-20", "day", "given", 1.0))
    a.layers["quotes"] = [{"start": 0, "end": len(text), "text": text, "kind": "indirect", "speaker": {"name": "Ada Quillon"}}]
    with open_store(pg_story) as writer:
        version = writer.data_version()
        writer.save_article(a)
        assert writer.data_version() != version
    try:
        assert _json(client, "/api/articles")["total"] == before + 1
        assert "Late news" in _html(client, "/articles/late-news")
        hits = _json(client, "/api/search?q=Quillon")
        assert hits["articles"]["total"] == 1 and hits["quotes"]["total"] == 1
        assert _json(client, "/api/quotes?speaker=Quillon")["total"] == 1
    finally:
        with open_store(pg_story) as writer:
            writer.delete_article("late-news")
    assert _json(client, "/api/articles")["total"] == before
    assert _json(client, "/api/search?q=Quillon")["articles"]["total"] == 0


@server
def test_app_writes_through_its_own_connection(pg_story: str) -> None:
    token = "a-long-enough-test-token-123"
    with TestClient(create_app(pg_story, token=token)) as c:
        before = c.get("/api/articles").json()["total"]
        r = c.post("/api/articles", json={"text": "Talks resumed in Geneva.", "title": "Geneva"},
                   headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.text
        new_id = r.json()["id"]
        try:
            assert c.get("/api/articles").json()["total"] == before + 1
            assert c.get("/api/search?q=Geneva").json()["articles"]["total"] == 1
        finally:
            with open_store(pg_story) as writer:
                writer.delete_article(new_id)


@server
def test_report_from_postgres(pg_story: str, tmp_path: Path) -> None:
    from storyline.cli import main

    out = tmp_path / "story.html"
    result = CliRunner().invoke(main, ["report", "--db", pg_story, "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") or html.lower().startswith("<!doctype html>")
    assert "Helena Varga" in html and "Saltmere" in html
    assert "Content-Security-Policy" in html or "content-security-policy" in html.lower()


# -- the same story from both stores: the same answers ----------------------------------------
PAGES = ["/", "/entities", "/quotes", "/search?q=talks", "/actors/e-jane", "/articles/evil1", "/articles/evil2",
         "/articles/plain3", "/?from=2022&to=2022-12", "/quotes?speaker=Jane", "/entities?sort=name&q=roe",
         "/quotes?q=talks", "/?topic=talks", "/search?q=jane+roe"]
API = ["/api/articles", "/api/articles/evil1", "/api/entities", "/api/entities/e-jane", "/api/quotes", "/api/events",
       "/api/timeline", "/api/timeline?actor=e-jane", "/api/articles?from=2022-12&to=2023", "/openapi.json",
       "/api/search?q=deal", "/api/search?q=jane+roe", "/api/search?q=december"]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, TestClient, str, str]]:
    lite = str(tmp_path_factory.mktemp("parity") / "hostile.db")
    hostile_store(lite).close()
    with fresh_pg_schema() as url:
        hostile_store(url).close()
        with TestClient(create_app(url)) as pg, TestClient(create_app(lite)) as sq:
            yield pg, sq, url, lite


def _by_id(body: Any) -> Any:
    """Search answers with their hits in id order (ranking is bm25 on SQLite, ts_rank on PostgreSQL)."""
    if isinstance(body, dict) and "articles" in body and "quotes" in body and "query" in body:
        for part in ("articles", "quotes"):
            body[part]["items"].sort(key=lambda x: x["id"])
    return body


@server
@pytest.mark.parametrize("path", API)
def test_api_answers_the_same_from_both_stores(both: tuple[TestClient, TestClient, str, str], path: str) -> None:
    pg, sq, _, _ = both
    a, b = pg.get(path), sq.get(path)
    assert a.status_code == b.status_code == 200
    assert _by_id(a.json()) == _by_id(b.json())


@server
@pytest.mark.parametrize("path", PAGES)
def test_pages_are_the_same_from_both_stores(both: tuple[TestClient, TestClient, str, str], path: str) -> None:
    pg, sq, _, _ = both
    a, b = pg.get(path), sq.get(path)
    assert a.status_code == b.status_code == 200
    if path.startswith("/search"):  # hits may come in another order; compare them as sets
        items = re.compile(r"<li>.*?</li>|<figure class=\"quote-fig\">.*?</figure>", re.DOTALL)
        assert sorted(items.findall(a.text)) == sorted(items.findall(b.text))
    else:
        assert a.text == b.text


@server
def test_report_is_the_same_from_both_stores(both: tuple[TestClient, TestClient, str, str]) -> None:
    _, _, url, lite = both
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    with open_store(url, readonly=True) as p, open_store(lite, readonly=True) as s:
        assert stamp.sub("", render_report(p)) == stamp.sub("", render_report(s))
